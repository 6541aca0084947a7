/**
 * What the HTTP layer hands the core, checked with a recording fake service: delete modes,
 * cascade parsing, If-Match, path decoding, the 404-before-body order, ETags.
 */
import { describe, expect, test } from "bun:test";
import { ImsError, type ImsService } from "@ims/core";
import { createApp } from "./app.ts";
import { send } from "./test-support/send.ts";

const STORED = { data: { id: "x", name: "n" }, version: 3 };
const NOTHING_MOVED = { operations: [], pending: [], waited: true };

function fakeIms(opts: { missing?: boolean } = {}) {
  const calls: unknown[][] = [];
  const resource = (name: string) =>
    new Proxy({}, {
      get: (_t, method) => async (...args: unknown[]) => {
        calls.push([`${name}.${String(method)}`, ...args]);
        if (opts.missing && args.length > 0) throw new ImsError("not_found", "nope");
        if (method === "list") return [STORED];
        if (method === "listJson") return new TextEncoder().encode(JSON.stringify([STORED.data]));
        if (method === "getJson") return { json: JSON.stringify(STORED.data), version: STORED.version };
        if (method === "statusAll") return [{ xname: "x1" }];
        if (["get", "create", "patch", "status"].includes(String(method))) return STORED;
        if (["delete", "deleteAll", "undelete", "undeleteAll"].includes(String(method))) return NOTHING_MOVED;
        return undefined;
      },
    });
  const ims = Object.fromEntries(
    ["publicKeys", "deletedPublicKeys", "recipes", "deletedRecipes", "images", "deletedImages", "remoteBuildNodes", "operations"].map((n) => [n, resource(n)]),
  ) as unknown as ImsService;
  const app = createApp({ ims, version: "v" });
  return { calls, call: (m: string, p: string, b?: unknown, h?: Record<string, string>) => send(app, m, p, b, h) };
}

describe("delete modes", () => {
  test.each([
    [undefined, true], ["true", true], ["TRUE", true], ["Yes", true], ["t", true], ["1", true],
    ["false", false], ["no", false], ["0", false], ["banana", false], ["", false], ["tru", false],
  ])("v2 cascade=%j -> %p", async (value, cascade) => {
    for (const path of ["/recipes/abc", "/v2/images/abc", "/v2/recipes", "/images"]) {
      const f = fakeIms();
      const q = value === undefined ? "" : `?cascade=${encodeURIComponent(value)}`;
      expect((await f.call("DELETE", path + q)).status).toBe(204);
      const last = f.calls.at(-1)!;
      expect(last).toContainEqual({ mode: "hard", cascade });
    }
  });

  test("the first cascade value wins (as Flask's request.args.get)", async () => {
    const f = fakeIms();
    await f.call("DELETE", "/v2/recipes/a?cascade=false&cascade=true");
    expect(f.calls[0]).toContainEqual({ mode: "hard", cascade: false });
  });

  test("v3 deletes are soft and ignore cascade", async () => {
    const f = fakeIms();
    await f.call("DELETE", "/v3/recipes/a?cascade=false");
    await f.call("DELETE", "/v3/public-keys");
    expect(f.calls).toEqual([
      ["recipes.delete", "a", { mode: "soft" }, {}],
      ["publicKeys.deleteAll", { mode: "soft" }, {}],
    ]);
  });

  test("unversioned public keys are hard deleted, like /v2", async () => {
    const f = fakeIms();
    await f.call("DELETE", "/public-keys/k");
    expect(f.calls[0]).toEqual(["publicKeys.delete", "k", { mode: "hard", cascade: true }, {}]);
  });
});

describe("If-Match", () => {
  test.each([
    ['"5"', { ifVersion: 5 }], ['W/"5"', { ifVersion: 5 }], [' "12" ', { ifVersion: 12 }], ["*", {}], [undefined, {}],
  ])("%j -> %j", async (header, opts) => {
    const f = fakeIms();
    const h: Record<string, string> = header === undefined ? {} : { "if-match": header };
    expect((await f.call("PATCH", "/v3/images/i", { arch: "aarch64" }, { "content-type": "application/json", ...h })).status).toBe(200);
    expect((await f.call("DELETE", "/v2/recipes/r", undefined, h)).status).toBe(204);
    expect((await f.call("DELETE", "/v3/deleted/images/d", undefined, h)).status).toBe(204);
    expect((await f.call("PATCH", "/v3/deleted/recipes/d", { operation: "undelete" }, { "content-type": "application/json", ...h })).status).toBe(204);
    expect(f.calls.map((c) => c.at(-1))).toEqual([opts, opts, opts, opts]);
  });

  test.each(["5", '"abc"', '"1", "2"', 'W/"x"', '""', '"-1"', "W/5"])("unparseable %j -> 412, core not called", async (header) => {
    const f = fakeIms();
    for (const [m, p] of [["PATCH", "/v3/recipes/r"], ["DELETE", "/images/i"], ["DELETE", "/v3/deleted/public-keys/k"]] as const) {
      const r = await f.call(m, p, m === "PATCH" ? { arch: "x86_64" } : undefined, { "content-type": "application/json", "if-match": header });
      expect(r.status).toBe(412);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      expect(r.body).toMatchObject({ status: 412, title: "Precondition Failed" });
    }
    expect(f.calls).toEqual([]);
  });

  test("GET, POST and PATCH of one record carry its version as a strong ETag", async () => {
    const f = fakeIms();
    expect((await f.call("GET", "/v3/recipes/r")).headers.get("etag")).toBe('"3"');
    expect((await f.call("POST", "/v2/images", { name: "x" })).headers.get("etag")).toBe('"3"');
    expect((await f.call("PATCH", "/images/i", { arch: "x86_64" })).headers.get("etag")).toBe('"3"');
    expect((await f.call("GET", "/v3/deleted/images/i")).headers.get("etag")).toBe('"3"');
    expect((await f.call("GET", "/v3/recipes")).headers.get("etag")).toBeNull();
  });
});

describe("request decoding", () => {
  test("path ids are percent-decoded and passed exactly (no case folding)", async () => {
    const f = fakeIms();
    await f.call("GET", "/v3/images/A%20B%2Fc");
    await f.call("GET", "/v3/remote-build-nodes/status/x1000c0s0b0n0");
    expect(f.calls).toEqual([["images.getJson", "A B/c"], ["remoteBuildNodes.status", "x1000c0s0b0n0"]]);
  });

  test("a malformed percent-escape is a 404 problem", async () => {
    const f = fakeIms();
    const r = await f.call("GET", "/v3/images/%ZZ");
    expect(r.status).toBe(404);
    expect(f.calls).toEqual([]);
  });

  test("an empty body reaches the core as undefined; JSON values as parsed", async () => {
    const f = fakeIms();
    await f.call("POST", "/v3/public-keys", { raw: "" }, { "content-type": "application/json" });
    expect((await f.call("POST", "/v3/public-keys")).status).toBe(415); // no Content-Type: Flask's 415
    await f.call("POST", "/v3/public-keys", null);
    await f.call("PATCH", "/v3/deleted/images", []);
    expect(f.calls).toEqual([
      ["publicKeys.create", undefined, {}],
      ["publicKeys.create", null, {}],
      ["deletedImages.undeleteAll", [], {}],
    ]);
  });

  test("an Idempotency-Key reaches the core with the request's fingerprint (method, path, body hash)", async () => {
    const f = fakeIms();
    await f.call("POST", "/v3/remote-build-nodes", { xname: "x1" }, { "idempotency-key": "k1" });
    const hash = new Bun.CryptoHasher("sha256").update('{"xname":"x1"}').digest("hex");
    expect(f.calls).toEqual([
      ["remoteBuildNodes.create", { xname: "x1" }, { idempotency: { key: "k1", fingerprint: `POST /v3/remote-build-nodes sha256:${hash}` } }],
    ]);
  });

  test("an unknown id answers 404 before the body is judged (upstream order)", async () => {
    const f = fakeIms({ missing: true });
    const bad = { raw: "{nope" };
    expect((await f.call("PATCH", "/v3/recipes/zz", bad, { "content-type": "application/json" })).status).toBe(404);
    expect((await f.call("PATCH", "/images/zz", { raw: "{}" }, { "content-type": "text/plain" })).status).toBe(404);
    expect((await f.call("PATCH", "/v3/deleted/public-keys/zz", bad, { "content-type": "application/json" })).status).toBe(404);
    expect(f.calls.map((c) => c[0])).toEqual(["recipes.get", "images.get", "deletedPublicKeys.get"]);
  });

  test("a body error is still reported when the id exists", async () => {
    const f = fakeIms();
    const r = await f.call("PATCH", "/v3/recipes/r", { raw: "{nope" }, { "content-type": "application/json" });
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain("line 1 column 2");
  });

  test("a remote build node named 'status' does not shadow the status collection", async () => {
    const f = fakeIms();
    const r = await f.call("GET", "/v3/remote-build-nodes/status");
    expect(r.body).toEqual([{ xname: "x1" }]);
    await f.call("DELETE", "/v3/remote-build-nodes/status");
    expect(f.calls).toEqual([["remoteBuildNodes.statusAll"], ["remoteBuildNodes.delete", "status"]]);
  });
});

describe("health", () => {
  test("ready follows the readiness hook", async () => {
    let ready = true;
    const app = createApp({ ims: {} as ImsService, version: "1.0", readiness: { ready: () => ready } });
    expect((await send(app, "GET", "/healthz/ready")).body).toEqual({});
    ready = false;
    const r = await send(app, "GET", "/healthz/ready");
    expect(r.status).toBe(503);
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    expect(r.body).toMatchObject({ status: 503, title: "Service Unavailable" });
    expect((await send(app, "GET", "/healthz/live")).status).toBe(200);
  });

  test("ready is 503 while a dependency cannot be reached, and 200 again once it can", async () => {
    let down = false;
    const dependencies = async () => {
      if (down) throw new ImsError("unavailable", "The record store cannot be reached.");
    };
    const app = createApp({ ims: {} as ImsService, version: "1.0", readiness: { ready: () => true, dependencies } });
    expect((await send(app, "GET", "/healthz/ready")).status).toBe(200);
    down = true;
    const r = await send(app, "GET", "/healthz/ready");
    expect(r.status).toBe(503);
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    expect(r.body).toMatchObject({ status: 503, detail: "The record store cannot be reached." });
    expect((await send(app, "GET", "/healthz/live")).status).toBe(200);
    down = false;
    expect((await send(app, "GET", "/healthz/ready")).status).toBe(200);
  });

  test("version", async () => {
    const app = createApp({ ims: {} as ImsService, version: "1.2.3" });
    const r = await send(app, "GET", "/version");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ version: "1.2.3" });
  });
});

describe("unexpected failures", () => {
  test("a crash in the core is a 500 problem without internals", async () => {
    const ims = { images: { listJson: async () => { throw new Error("db password=hunter2"); } } } as unknown as ImsService;
    const r = await send(createApp({ ims, version: "v" }), "GET", "/v2/images");
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ status: 500, title: "Internal Server Error" });
    expect(r.text).not.toContain("hunter2");
    expect(r.text).not.toContain("at ");
  });
});
