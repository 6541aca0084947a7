import { describe, expect, test } from "bun:test";
import { ImsError, type ErrorKind } from "@ims/core";
import { captureLogger } from "../test-support/logger.ts";
import { HttpProblem, asciiJson, problemResponse, toProblem } from "./problem.ts";

const { lines, logger } = captureLogger();

describe("toProblem", () => {
  test.each([
    ["missing_input", 400, "Bad Request"],
    ["bad_request", 400, "Bad Request"],
    ["not_found", 404, "Not Found"],
    ["conflict", 409, "Conflict"],
    ["precondition_failed", 412, "Precondition Failed"],
    ["payload_too_large", 413, "Request Entity Too Large"],
    ["validation", 422, "Unprocessable Entity"],
    ["unavailable", 503, "Service Unavailable"],
    ["internal", 500, "Internal Server Error"],
  ] as [ErrorKind, number, string][])("%s -> %d", async (kind, status, title) => {
    const res = toProblem(new ImsError(kind, "why"), logger, "r1");
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toEqual({ status, title, detail: "why" });
  });

  test("errors are included only when the ImsError carries them", async () => {
    const fields: any = await toProblem(new ImsError("validation", "bad", { name: ["Unknown field."] }), logger, "r").json();
    expect(fields.errors).toEqual({ name: ["Unknown field."] });
    const list: any = await toProblem(new ImsError("validation", "bad", []), logger, "r").json();
    expect(list.errors).toEqual([]);
    expect("errors" in ((await toProblem(new ImsError("not_found", "x"), logger, "r").json()) as object)).toBe(false);
  });

  test("HttpProblem keeps its status and headers", async () => {
    const res = toProblem(new HttpProblem(415, "no", { allow: "GET" }), logger, "r");
    expect(res.status).toBe(415);
    expect(res.headers.get("allow")).toBe("GET");
    expect(await res.json()).toEqual({ status: 415, title: "Unsupported Media Type", detail: "no" });
  });

  test("unexpected errors are 500 without details, and logged with the request id", async () => {
    lines.length = 0;
    const res = toProblem(new TypeError("secret internals at /srv/x.ts"), logger, "req-42");
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(text).not.toContain("secret");
    expect(text).not.toContain("x.ts");
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0]!);
    expect(logged).toMatchObject({ level: "error", request_id: "req-42", error: "secret internals at /srv/x.ts" });
  });

  test("thrown non-errors are 500 too", () => {
    expect(toProblem("a string", logger, "r").status).toBe(500);
    expect(toProblem(undefined, logger, "r").status).toBe(500);
  });
});

describe("problem bodies", () => {
  test("are ASCII-only JSON (non-ASCII escaped like Python's json.dumps)", async () => {
    const res = problemResponse(404, "é\u2028\u0000😀");
    const text = await res.text();
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(text).detail).toBe("é\u2028\u0000😀");
  });

  test("asciiJson round-trips lone surrogates", () => {
    const s = "a\ud800b";
    expect(JSON.parse(asciiJson(s))).toBe(s);
  });
});
