import { describe, expect, test } from "bun:test";
import { describeJsonError, locateJsonError } from "./json-error.ts";

const where = (s: string) => {
  expect(() => JSON.parse(s)).toThrow();
  const at = locateJsonError(s);
  return at && describeJsonError(s, at);
};

describe("locateJsonError (Python json module wording)", () => {
  test.each([
    ["", "Expecting value: line 1 column 1 (char 0)"],
    ["{bad", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"],
    ['{"name":', "Expecting value: line 1 column 9 (char 8)"],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['{"a":1 "b":2}', "Expecting ',' delimiter: line 1 column 8 (char 7)"],
    ['{"a":1,}', "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"],
    ["[1,]", "Expecting value: line 1 column 4 (char 3)"],
    ['{"a":1}x', "Extra data: line 1 column 8 (char 7)"],
    ['{\n  "a": tru\n}', "Expecting value: line 2 column 8 (char 9)"],
    ['"abc', "Unterminated string starting at: line 1 column 1 (char 0)"],
    ['"a\nb"', "Invalid control character at: line 1 column 3 (char 2)"],
    ['"\\x"', "Invalid \\escape: line 1 column 2 (char 1)"],
    ['"\\u12"', "Invalid \\uXXXX escape: line 1 column 2 (char 1)"],
    ["NaN", "Expecting value: line 1 column 1 (char 0)"],
    ["-", "Expecting value: line 1 column 1 (char 0)"],
    ["01", "Extra data: line 1 column 2 (char 1)"],
  ])("%j", (text, expected) => {
    expect(where(text)).toBe(expected);
  });

  test("valid JSON has no error", () => {
    for (const s of ['{"a":[1,2.5e3,-0,true,false,null,{"b":"\\u00e9\\n"}]}', " [ ] ", "{}", '"x"', "0"]) {
      expect(locateJsonError(s)).toBeUndefined();
    }
  });

  test("deep nesting does not overflow the stack", () => {
    const deep = "[".repeat(500_000);
    expect(locateJsonError(deep)?.message).toBe("Expecting value");
  });
});
