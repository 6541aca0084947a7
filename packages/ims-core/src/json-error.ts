/**
 * Finds where a JSON text goes wrong, in the words of Python's json module (what upstream's
 * clients see): JSON.parse in Bun does not report a position. Iterative, so deep nesting cannot
 * overflow the stack. Only called after JSON.parse has failed.
 */
export interface JsonErrorAt {
  message: string;
  /** Offset in the text (UTF-16 units). */
  pos: number;
}

const WS = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const SIMPLE_ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const HEX4 = /^[0-9a-fA-F]{4}$/;

export function locateJsonError(s: string): JsonErrorAt | undefined {
  let i = 0;
  const stack: ("{" | "[")[] = [];
  const fail = (message: string, pos = i): JsonErrorAt => ({ message, pos });
  const skip = () => {
    while (i < s.length && WS.has(s[i]!)) i++;
  };
  const str = (): JsonErrorAt | undefined => {
    const start = i++;
    for (;;) {
      const c = s[i];
      if (c === undefined) return fail("Unterminated string starting at", start);
      if (c === '"') return void i++;
      if (c === "\\") {
        const e = s[i + 1];
        if (e === "u") {
          if (!HEX4.test(s.slice(i + 2, i + 6))) return fail("Invalid \\uXXXX escape");
          i += 6;
        } else if (e !== undefined && SIMPLE_ESCAPES.has(e)) i += 2;
        else return fail("Invalid \\escape");
      } else if (c.charCodeAt(0) < 0x20) return fail("Invalid control character at");
      else i++;
    }
  };
  const key = (): JsonErrorAt | undefined => {
    if (s[i] !== '"') return fail("Expecting property name enclosed in double quotes");
    const e = str();
    if (e) return e;
    skip();
    if (s[i] !== ":") return fail("Expecting ':' delimiter");
    i++;
  };

  for (;;) {
    // Expect one value; containers push and go round again for their first element.
    skip();
    const c = s[i];
    if (c === "{" || c === "[") {
      i++;
      skip();
      if (s[i] === (c === "{" ? "}" : "]")) i++;
      else {
        stack.push(c);
        if (c === "[") continue;
        const e = key();
        if (e) return e;
        continue;
      }
    } else if (c === '"') {
      const e = str();
      if (e) return e;
    } else if (s.startsWith("true", i)) i += 4;
    else if (s.startsWith("false", i)) i += 5;
    else if (s.startsWith("null", i)) i += 4;
    else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(s)) return fail("Expecting value");
      i = NUMBER.lastIndex;
    }
    // After a value: close finished containers, then move to the next element.
    for (;;) {
      skip();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < s.length ? fail("Extra data") : undefined;
      if (s[i] === (top === "{" ? "}" : "]")) {
        stack.pop();
        i++;
        continue;
      }
      if (s[i] !== ",") return fail("Expecting ',' delimiter");
      i++;
      skip();
      if (top === "{") {
        const e = key();
        if (e) return e;
      }
      break;
    }
  }
}

/** "Expecting value: line 1 column 5 (char 4)", as Python's JSONDecodeError prints it. */
export function describeJsonError(s: string, at: JsonErrorAt): string {
  const before = s.slice(0, at.pos);
  const line = before.split("\n").length;
  const column = at.pos - before.lastIndexOf("\n");
  return `${at.message}: line ${line} column ${column} (char ${at.pos})`;
}
