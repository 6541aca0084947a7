/** The core is a pure library: no framework, runtime module, SDK or environment access. */
import { expect, test } from "bun:test";
import { Glob } from "bun";

const dir = new URL(".", import.meta.url).pathname;
const forbidden = [/from\s+["']elysia/, /from\s+["']bun(:[^"']*)?["']/, /from\s+["']@aws-sdk\//, /from\s+["']@kubernetes\//, /from\s+["'](prom-client|@opentelemetry\/)/, /process\.env/, /\bBun\./];

test("ims-core/src imports no Elysia, bun:*, AWS or Kubernetes SDK, no metrics or tracing library, and reads no environment", async () => {
  const offenders: string[] = [];
  for await (const file of new Glob("**/*.ts").scan(dir)) {
    if (file.endsWith(".test.ts")) continue;
    const text = await Bun.file(dir + file).text();
    for (const re of forbidden) if (re.test(text)) offenders.push(`${file} matches ${re}`);
  }
  expect(offenders).toEqual([]);
});

test("the purity check does catch a forbidden import", () => {
  expect(forbidden.some((re) => re.test('import { Elysia } from "elysia";'))).toBe(true);
  expect(forbidden.some((re) => re.test("const x = process.env.PORT"))).toBe(true);
  expect(forbidden.some((re) => re.test('import { Histogram } from "prom-client";'))).toBe(true);
});
