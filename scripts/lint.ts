/**
 * Project lint: rules a type checker cannot see. The core stays pure (no framework, runtime,
 * SDK or environment access in packages/ims-core/src; no environment, argv or exit anywhere in
 * the core package), and no focused or skipped tests land.
 */
import { Glob } from "bun";

const problems: string[] = [];
const root = new URL("..", import.meta.url).pathname;

const CORE_FORBIDDEN: [RegExp, string][] = [
  [/from\s+["'](elysia|@elysiajs\/[^"']*)["']/, "imports Elysia"],
  [/from\s+["']bun(:[^"']*)?["']/, "imports a bun module"],
  [/from\s+["']@aws-sdk\/[^"']*["']/, "imports the AWS SDK"],
  [/from\s+["']@kubernetes\/[^"']*["']/, "imports the Kubernetes client"],
  [/process\.env/, "reads process.env"],
  [/\bBun\./, "uses the Bun global"],
  [/from\s+["'](prom-client|@opentelemetry\/[^"']*)["']/, "imports a telemetry library (measure through the ports, in @ims/cli)"],
];

for await (const file of new Glob("packages/ims-core/src/**/*.ts").scan(root)) {
  if (file.endsWith(".test.ts")) continue;
  const text = await Bun.file(root + file).text();
  for (const [re, why] of CORE_FORBIDDEN) if (re.test(text)) problems.push(`${file}: core ${why}`);
}

// The whole core package is a library: only the process (@ims/cli) reads the environment or the
// command line, or ends the process. Test support may read the test environment.
const isTestSupport = (file: string) => /(\.test|-contract|\/test-[^/]*|\/test-support)\.ts$/.test(file);
for await (const file of new Glob("packages/ims-core/{src,adapters}/**/*.ts").scan(root)) {
  if (isTestSupport(file)) continue;
  const text = await Bun.file(root + file).text();
  for (const [re, why] of [[/process\.env\b/, "reads process.env"], [/process\.argv\b/, "reads process.argv"], [/process\.exit\b/, "exits the process"]] as const) {
    if (re.test(text)) problems.push(`${file}: the core library ${why} (only @ims/cli may)`);
  }
}

for await (const file of new Glob("{packages,examples,scripts}/**/*.test.ts").scan(root)) {
  if (file.includes("node_modules")) continue;
  const text = await Bun.file(root + file).text();
  if (/\b(test|it|describe)\.only\(/.test(text)) problems.push(`${file}: focused test (.only)`);
  if (/\b(test|it|describe)\.skip\(/.test(text)) problems.push(`${file}: skipped test (.skip)`);
}

for await (const file of new Glob("{packages,examples,scripts}/**/*.ts").scan(root)) {
  if (file.includes("node_modules")) continue;
  const text = await Bun.file(root + file).text();
  if (/\bdebugger;/.test(text)) problems.push(`${file}: debugger statement`);
  if (text.length && !text.endsWith("\n")) problems.push(`${file}: no newline at end of file`);
}

if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`lint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log("lint: ok");
