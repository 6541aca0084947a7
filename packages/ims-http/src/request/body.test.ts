import { describe, expect, test } from "bun:test";
import { DISCARD_LIMIT_BYTES, isJsonContentType, readJsonBody } from "./body.ts";
import { HttpProblem } from "../problems/problem.ts";
import type { RawBody } from "../test-support/send.ts";

const req = (body: RawBody | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://localhost/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

async function problemOf(p: Promise<unknown>): Promise<HttpProblem> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HttpProblem);
    return e as HttpProblem;
  }
  throw new Error("expected an HttpProblem");
}

/** A stream of `chunks` chunks of `size` bytes each; counts how many were pulled. */
function chunked(chunks: number, size: number) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (state.pulled === chunks) return c.close();
      state.pulled++;
      c.enqueue(new TextEncoder().encode(" ".repeat(size)));
    },
  });
  return { stream, state };
}

describe("readJsonBody", () => {
  test("an empty body with a JSON Content-Type is undefined", async () => {
    expect(await readJsonBody(req(null))).toBeUndefined();
    expect(await readJsonBody(req(""))).toBeUndefined();
  });

  test("without a JSON Content-Type even an empty request is a 415, as Flask's get_json answers", async () => {
    expect((await problemOf(readJsonBody(req("", { "content-type": "text/plain" })))).status).toBe(415);
    expect((await problemOf(readJsonBody(req(null, {})))).status).toBe(415);
  });

  test("JSON values are passed through as parsed, including falsy ones", async () => {
    expect(await readJsonBody(req('{"a":1}'))).toEqual({ a: 1 });
    for (const v of ["null", "{}", "[]", "0", "false", '""']) {
      expect(await readJsonBody(req(v))).toEqual(JSON.parse(v));
    }
  });

  test("a UTF-8 byte order mark is accepted (as Python's json does)", async () => {
    expect(await readJsonBody(req(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])))).toEqual({});
  });

  test("non-JSON content type on a non-empty body is 415", async () => {
    for (const headers of [{ "content-type": "text/plain" }, {} as Record<string, string>, { "content-type": "application/x-www-form-urlencoded" }, { "content-type": "application/jsonx" }]) {
      expect((await problemOf(readJsonBody(req('{"a":1}', headers)))).status).toBe(415);
    }
  });

  test("JSON media types", () => {
    for (const ok of ["application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json", " application/problem+json "]) {
      expect(isJsonContentType(ok)).toBe(true);
    }
    for (const bad of [null, "", "text/json", "application/jsonp", "application/+json", "text/plain+json", "json"]) {
      expect(isJsonContentType(bad)).toBe(false);
    }
  });

  test("malformed JSON is 400 and says where", async () => {
    const p = await problemOf(readJsonBody(req('{"name": "x",\n "b": }')));
    expect(p.status).toBe(400);
    expect(p.detail).toBe("Failed to decode JSON object: Expecting value: line 2 column 7 (char 20)");
  });

  test("invalid UTF-8 is 400", async () => {
    const p = await problemOf(readJsonBody(req(new Uint8Array([0x22, 0xff, 0x22]))));
    expect(p.status).toBe(400);
    expect(p.detail).toContain("UTF-8");
  });

  test("a body over the limit is 413, counted while reading a chunked body, and the rest is drained", async () => {
    const { stream, state } = chunked(100, 1000);
    const p = await problemOf(readJsonBody(req(stream), 10_000));
    expect(p.status).toBe(413);
    expect(state.pulled).toBe(100); // read to the end (within the discard limit) so the client sees the 413
  });

  test("a body exactly at the limit is read", async () => {
    const body = `"${"a".repeat(98)}"`;
    expect(await readJsonBody(req(body), 100)).toBe("a".repeat(98));
    expect((await problemOf(readJsonBody(req(body + " "), 100))).status).toBe(413);
  });

  test("Content-Length over the limit is drained (up to the discard limit) and refused", async () => {
    const { stream, state } = chunked(5, 10);
    const p = await problemOf(readJsonBody(req(stream, { "content-type": "application/json", "content-length": "2000000" })));
    expect(p.status).toBe(413);
    expect(state.pulled).toBe(5);
  });

  test("Content-Length beyond the discard limit is refused without reading the body", async () => {
    const { stream, state } = chunked(5, 10);
    const declared = String(DISCARD_LIMIT_BYTES + 1);
    const p = await problemOf(readJsonBody(req(stream, { "content-type": "application/json", "content-length": declared })));
    expect(p.status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(1);
  });
});
