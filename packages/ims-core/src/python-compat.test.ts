/** The Python behaviours upstream's answers are made of, checked against what CPython prints. */
import { describe, expect, test } from "bun:test";
import { canonicalJson, pyDumps } from "./python-json.ts";
import { pyInt } from "./python-int.ts";
import { pyRepr } from "./python-repr.ts";
import { normaliseUuid } from "./uuid.ts";
import { isoMicros } from "./time.ts";

describe("json.dumps and jsonify", () => {
  test("json.dumps: spaced separators, the given order, non-ASCII escaped", () => {
    expect(pyDumps({ status: 404, title: "Not Found", detail: "é ✓ 😀", errors: { a: [1, true, null] } })).toBe(
      '{"status": 404, "title": "Not Found", "detail": "\\u00e9 \\u2713 \\ud83d\\ude00", "errors": {"a": [1, true, null]}}',
    );
    expect(pyDumps(new Map<string, unknown>([["b", 1], ["10", 2], ["9", {}]]))).toBe('{"b": 1, "10": 2, "9": {}}');
  });

  test("jsonify: compact, keys sorted by code point at every level (integer-like keys too)", () => {
    expect(canonicalJson({ b: 1, a: { d: [], c: "x" } })).toBe('{"a":{"c":"x","d":[]},"b":1}');
    // JavaScript would list "9" before "10"; Python's sorted() puts "10" first.
    expect(canonicalJson({ metadata: { "9": "a", "10": "b" } })).toBe('{"metadata":{"10":"b","9":"a"}}');
    // Code point order, not UTF-16 order: U+FF01 sorts before U+1F600.
    expect(canonicalJson({ "\u{1F600}": 1, "\uFF01": 2 })).toBe(`{"\uFF01":2,"\u{1F600}":1}`);
  });
});

describe("repr()", () => {
  test("dicts and strings as Python prints them", () => {
    expect(pyRepr({ path: "s3://b/k", etag: "", type: "s3" })).toBe("{'path': 's3://b/k', 'etag': '', 'type': 's3'}");
    expect(pyRepr(["it's", 'say "hi"', "both ' \"", "tab\tnl\n\\", "\u0007\u00a0é", null, true, 1.5, 0.00001])).toBe(
      `["it's", 'say "hi"', 'both \\' "', 'tab\\tnl\\n\\\\', '\\x07\\xa0é', None, True, 1.5, 1e-05]`,
    );
  });
});

describe("int() and uuid.UUID()", () => {
  test("int(text) takes whitespace, a sign, underscores between digits and any script's digits", () => {
    expect(pyInt(" 12\n")).toBe(12n);
    expect(pyInt("+1_000")).toBe(1000n);
    expect(pyInt("-7")).toBe(-7n);
    expect(pyInt("\u0663\u0664")).toBe(34n); // Arabic-Indic 3, 4
    expect(pyInt("\u{1D7D9}")).toBe(1n); // MATHEMATICAL DOUBLE-STRUCK DIGIT ONE
    for (const bad of ["", " ", "1_", "_1", "1__0", "2.5", "0x10", "1e3", "--1"]) expect(pyInt(bad)).toBeUndefined();
    expect(pyInt("0x_ff", 16)).toBe(255n);
  });

  test("uuid.UUID(text): urn/uuid anywhere, braces stripped, hyphens dropped, 32 digits int() reads", () => {
    const id = "a0b1c2d3-e4f5-a6b7-c8d9-e0f1a2b3c4d5";
    for (const ok of [id, id.toUpperCase(), `{${id}}`, `{{${id}}`, `urn:uuid:${id}`, `uuid:${id}`, id.replaceAll("-", ""), "a0b1-c2d3e4f5a6b7c8d9e0f1a2b3c4d5", `a0b1c2d3e4f5urn:a6b7c8d9e0f1a2b3c4d5`]) {
      expect({ ok, id: normaliseUuid(ok) }).toEqual({ ok, id });
    }
    expect(normaliseUuid(" a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d")).toBe("0a0b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d"); // int() strips the space
    expect(normaliseUuid("0x" + "f".repeat(30))).toBe("00ffffff-ffff-ffff-ffff-ffffffffffff");
    for (const bad of [` {${id}}`, "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d", "g".repeat(32), "-" + "1".repeat(31)]) {
      expect({ bad, id: normaliseUuid(bad) }).toEqual({ bad, id: undefined });
    }
  });
});

test("isoformat(): microseconds, the fraction omitted only when they are zero", () => {
  const second = Date.UTC(2026, 11, 2, 0, 10, 2) * 1000;
  expect(isoMicros(second + 123456)).toBe("2026-12-02T00:10:02.123456");
  expect(isoMicros(second + 120000)).toBe("2026-12-02T00:10:02.120000");
  expect(isoMicros(second + 1)).toBe("2026-12-02T00:10:02.000001");
  expect(isoMicros(second)).toBe("2026-12-02T00:10:02");
});
