/** The embedded built-in templates are exactly the files under templates/, all of them. */
import { expect, test } from "bun:test";
import { Glob } from "bun";
import { BUILTIN_TEMPLATES } from "./builtin.ts";
import { OBJECT_NAMES, templateRelativePath } from "./files.ts";
import type { JobKind } from "./params.ts";

const dir = new URL("../templates/", import.meta.url).pathname;

test("every template file is embedded with its current text, and nothing else is", async () => {
  const onDisk = new Map<string, string>();
  for await (const file of new Glob("**/*.hbs").scan(dir)) onDisk.set(file, await Bun.file(dir + file).text());
  const embedded = new Map<string, string>();
  for (const kind of Object.keys(BUILTIN_TEMPLATES) as JobKind[]) {
    for (const object of OBJECT_NAMES) embedded.set(templateRelativePath(kind, object), BUILTIN_TEMPLATES[kind][object]);
  }
  expect([...embedded.keys()].sort()).toEqual([...onDisk.keys()].sort());
  for (const [file, text] of onDisk) expect(embedded.get(file)).toBe(text);
});
