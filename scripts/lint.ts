/**
 * Project lint: rules a type checker cannot see. The core stays pure (no framework, runtime,
 * SDK or environment access in packages/ims-core/src), and no focused or skipped tests land.
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
];

for await (const file of new Glob("packages/ims-core/src/**/*.ts").scan(root)) {
  if (file.endsWith(".test.ts")) continue;
  const text = await Bun.file(root + file).text();
  for (const [re, why] of CORE_FORBIDDEN) if (re.test(text)) problems.push(`${file}: core ${why}`);
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
