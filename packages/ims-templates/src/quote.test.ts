/** The low-level writers: YAML-safe JSON, kubelet-literal text, Python json.dumps text. */
import { expect, test } from "bun:test";
import { kubeletLiteral, pythonJsonObject, yamlJson } from "./quote.ts";
import { kubeletExpand } from "./test-support.ts";

test("yamlJson escapes what YAML readers treat specially and still parses back exactly", () => {
  const s = "a\u2028b\u2029c\u0085d\ufeffe\u007ff\u009fg\ufffeh\uffffi\u0000j😀";
  const out = yamlJson(s);
  expect(out).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/);
  expect(JSON.parse(out)).toBe(s);
  expect(Bun.YAML.parse(`k: ${out}\n`)).toEqual({ k: s });
  expect(yamlJson(["SYS_ADMIN"])).toBe('["SYS_ADMIN"]');
  expect(yamlJson(false)).toBe("false");
});

test("kubeletLiteral survives the kubelet's $(VAR) expansion unchanged", () => {
  for (const s of ["$(HOME)", "$$(HOME)", "a$", "$", "$$", "$(", "$(X", "x$(Y)z$$$(Z)", "no dollars"]) {
    expect(kubeletExpand(kubeletLiteral(s))).toBe(s);
  }
  expect(kubeletExpand("$(HOME)")).toBe("<HOME>"); // the simulation does expand
});

test("pythonJsonObject matches json.dumps of a dict built from the list", () => {
  // Expected strings produced with CPython 3: json.dumps({...})
  expect(pythonJsonObject([])).toBe("{}");
  expect(pythonJsonObject([{ key: "a", value: "x" }, { key: "é", value: 'line\nbreak "q"' }, { key: "a", value: "y" }])).toBe(
    '{"a": "y", "\\u00e9": "line\\nbreak \\"q\\""}',
  );
  expect(pythonJsonObject([{ key: "k", value: "\x7f\x00\u2028😀\b\f\x1b/" }])).toBe(
    '{"k": "\\u007f\\u0000\\u2028\\ud83d\\ude00\\b\\f\\u001b/"}',
  );
});
