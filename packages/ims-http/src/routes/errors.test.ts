/**
 * Every failure case against the real core. After each failed request the store must be
 * unchanged (every collection, every version).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rig, type Reply, type Rig, type SendBody } from "../test-support/app.ts";

const MiB = 1024 * 1024;
const JSON_CT = { "content-type": "application/json" };

let r: Rig;
const ids: Record<string, string> = {};

beforeAll(async () => {
  r = await rig();
  // One record of each kind so item routes have something to (not) touch.
  ids.publicKey = (await r.call("POST", "/v3/public-keys", { name: "k", public_key: "ssh-rsa A" })).body.id;
  ids.recipe = (await r.call("POST", "/v3/recipes", { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15" })).body.id;
  ids.image = (await r.call("POST", "/v3/images", { name: "i" })).body.id;
  const gone = (await r.call("POST", "/v3/images", { name: "gone" })).body.id;
  await r.call("DELETE", `/v3/images/${gone}`);
  ids.deletedImage = gone;
  await r.call("POST", "/v3/remote-build-nodes", { xname: "x1" });
});
afterAll(async () => {
  await r.close();
});

/** Sends a request that must fail with `status`, and checks that nothing was written. */
async function fails(status: number, method: string, path: string, body?: SendBody, headers?: Record<string, string>): Promise<Reply> {
  const before = await r.snapshot();
  const res = await r.call(method, path, body, headers);
  expect({ method, path, status: res.status }).toEqual({ method, path, status });
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body.status).toBe(status);
  expect(typeof res.body.title).toBe("string");
  expect(typeof res.body.detail).toBe("string");
  expect(Object.keys(res.body).every((k) => ["status", "title", "detail", "errors"].includes(k))).toBe(true);
  expect(await r.snapshot()).toBe(before);
  return res;
}

const CREATES: [string, Record<string, unknown>][] = [
  ...["", "/v2", "/v3"].flatMap((p): [string, Record<string, unknown>][] => [
    [`${p}/public-keys`, { name: "n", public_key: "k" }],
    [`${p}/recipes`, { name: "n", recipe_type: "packer", linux_distribution: "sles12" }],
    [`${p}/images`, { name: "n" }],
  ]),
  ["/v3/remote-build-nodes", { xname: "x2" }],
];

describe.each(CREATES)("POST %s", (path, valid) => {
  test("malformed JSON -> 400 saying where", async () => {
    const res = await fails(400, "POST", path, { raw: '{"name": "x",' }, JSON_CT);
    expect(res.body.detail).toBe("Failed to decode JSON object: Expecting property name enclosed in double quotes: line 1 column 14 (char 13)");
    expect(res.body.errors).toBeUndefined();
  });

  test("non-JSON content type -> 415", async () => {
    await fails(415, "POST", path, { raw: JSON.stringify(valid) }, { "content-type": "text/plain" });
    await fails(415, "POST", path, { raw: JSON.stringify(valid) }, { "content-type": "application/x-www-form-urlencoded" });
    await fails(415, "POST", path, { raw: new TextEncoder().encode(JSON.stringify(valid)) }, {});
  });

  test("empty body and falsy JSON -> 400 missing input", async () => {
    for (const body of [{ raw: "" }, { raw: "null" }, { raw: "{}" }, { raw: "[]" }, { raw: '""' }, { raw: "0" }, { raw: "false" }, { raw: " \n " }]) {
      const res = await fails(400, "POST", path, body, JSON_CT);
      if (body.raw.trim() !== "") expect(res.body.detail).toStartWith("No input provided.");
    }
  });

  test("no body and no Content-Type -> 415, as Flask's get_json answers", async () => {
    await fails(415, "POST", path);
  });

  test("truthy non-objects -> 422", async () => {
    for (const raw of ["[1]", '"name"', "5", "true", `[${JSON.stringify(valid)}]`]) {
      const res = await fails(422, "POST", path, { raw }, JSON_CT);
      expect(res.body.errors).toBeDefined();
    }
  });

  test("unknown and read-only fields -> 422 'Unknown field.'", async () => {
    for (const extra of ["bogus", "id", "created", "deleted"]) {
      const res = await fails(422, "POST", path, { ...valid, [extra]: "x" });
      expect(res.body.errors).toEqual({ [extra]: ["Unknown field."] });
    }
  });

  test("wrong types, nulls and empty strings -> 422 naming the field", async () => {
    const field = Object.keys(valid)[0]!;
    for (const bad of [5, true, null, [], {}, ""]) {
      const res = await fails(422, "POST", path, { ...valid, [field]: bad });
      expect(Object.keys(res.body.errors)).toEqual([field]);
    }
  });

  test("required field missing -> 422 'Missing data for required field.'", async () => {
    const [field, ...rest] = Object.keys(valid);
    // A one-field body without its field would be {} (400), so send an unknown field instead.
    const body = rest.length ? Object.fromEntries(rest.map((k) => [k, valid[k]])) : { other: "x" };
    const res = await fails(422, "POST", path, body);
    expect(res.body.errors[field!]).toEqual(["Missing data for required field."]);
  });

  test("bodies over 1 MiB -> 413 (Content-Length and chunked)", async () => {
    const field = Object.keys(valid)[0]!;
    await fails(413, "POST", path, { ...valid, [field]: "n".repeat(MiB) });
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > 4 * MiB) return c.close();
        sent += 64 * 1024;
        c.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    await fails(413, "POST", path, { raw: stream }, JSON_CT);
    expect(sent).toBeGreaterThan(4 * MiB); // drained (within the discard limit) so the client reads the 413
  });
});

const ITEMS = (): [string, string][] => [
  ...["", "/v2", "/v3"].flatMap((p): [string, string][] => [
    [`${p}/public-keys`, ids.publicKey!],
    [`${p}/recipes`, ids.recipe!],
    [`${p}/images`, ids.image!],
  ]),
  ["/v3/deleted/images", ids.deletedImage!],
];

describe("item routes with ids that are not stored ids", () => {
  test("unknown, upper-case, unhyphenated, braced and urn UUIDs are 404 on GET, PATCH and DELETE", async () => {
    for (const [base, id] of ITEMS()) {
      const variants = [
        "0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a", id.toUpperCase(), id.replaceAll("-", ""), `{${id}}`, `urn:uuid:${id}`,
        encodeURIComponent(` ${id}`), encodeURIComponent(`${id} `), "not-a-uuid",
      ];
      for (const v of variants) {
        await fails(404, "GET", `${base}/${v}`);
        await fails(404, "DELETE", `${base}/${v}`);
        if (!base.includes("public-keys")) {
          const body = base.includes("deleted") ? { operation: "undelete" } : { arch: "aarch64" };
          await fails(404, "PATCH", `${base}/${v}`, body);
        }
      }
    }
  });

  test("hostile path ids are 404 problems", async () => {
    for (const v of ["%00", "%0A", "%0D%0Aset-cookie:%20x", "..%2F..%2Fetc%2Fpasswd", "%E2%80%A8", "%ZZ", "x".repeat(10_000), "%F0%9F%98%80", "'%20OR%201=1--"]) {
      await fails(404, "GET", `/v3/images/${v}`);
      await fails(404, "DELETE", `/v2/recipes/${v}`);
      await fails(404, "PATCH", `/v3/deleted/recipes/${v}`, { operation: "undelete" });
      await fails(404, "GET", `/v3/remote-build-nodes/${v}`);
      await fails(404, "GET", `/v3/remote-build-nodes/status/${v}`);
    }
  });

  test("404 comes before any body check (upstream order: id, then body)", async () => {
    const unknown = "0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a";
    for (const path of [`/v3/recipes/${unknown}`, `/images/${unknown}`, `/v3/deleted/public-keys/${unknown}`, `/v3/deleted/images/${ids.image}`]) {
      for (const raw of ["", "{}", "null", '{"bogus": 1}', "{bad", '{"a": "' + "x".repeat(100) + '"}']) {
        await fails(404, "PATCH", path, { raw }, JSON_CT);
      }
      await fails(404, "PATCH", path, { raw: '{"arch": "aarch64"}' }, { "content-type": "text/plain" });
    }
  });

  test("unknown remote build node -> 404", async () => {
    await fails(404, "GET", "/v3/remote-build-nodes/x404");
    await fails(404, "DELETE", "/v3/remote-build-nodes/x404");
    await fails(404, "GET", "/v3/remote-build-nodes/status/x404");
  });
});

describe("PATCH bodies", () => {
  const patches = () => [
    `/recipes/${ids.recipe}`, `/v2/recipes/${ids.recipe}`, `/v3/recipes/${ids.recipe}`,
    `/images/${ids.image}`, `/v2/images/${ids.image}`, `/v3/images/${ids.image}`,
  ];

  test("malformed, wrong type, empty, falsy, oversized", async () => {
    for (const path of patches()) {
      await fails(400, "PATCH", path, { raw: "{arch:" }, JSON_CT);
      await fails(415, "PATCH", path, { raw: '{"arch":"aarch64"}' }, { "content-type": "text/plain" });
      for (const raw of ["", "null", "{}", "[]"]) await fails(400, "PATCH", path, { raw }, JSON_CT);
      await fails(413, "PATCH", path, { arch: "a".repeat(MiB) });
    }
  });

  test("unknown and immutable fields, wrong values -> 422", async () => {
    for (const path of patches()) {
      for (const body of [{ bogus: 1 }, { name: "renamed" }, { id: "x" }, { created: "x" }, { arch: "sparc" }, { arch: "" }, { arch: null }, { link: null }, { link: { path: "s3://b/k", type: "gopher" } }]) {
        const res = await fails(422, "PATCH", path, body);
        expect(res.body.errors).toBeDefined();
      }
    }
    for (const path of patches().filter((p) => p.includes("recipes"))) {
      for (const body of [{ recipe_type: "packer" }, { linux_distribution: "sles12" }, { require_dkms: "maybe" }, { template_dictionary: [{ key: "k" }] }]) {
        await fails(422, "PATCH", path, body);
      }
    }
    for (const path of patches().filter((p) => p.includes("images"))) {
      for (const body of [{ metadata: { operation: "drop", key: "k" } }, { metadata: { operation: "set" } }, { metadata: { operation: "set", key: "k", extra: 1 } }, { metadata: "x" }]) {
        await fails(422, "PATCH", path, body);
      }
    }
  });

  test("undelete needs exactly {operation: 'undelete'}", async () => {
    for (const path of [`/v3/deleted/images/${ids.deletedImage}`, "/v3/deleted/images", "/v3/deleted/recipes", "/v3/deleted/public-keys"]) {
      for (const body of [{ operation: "delete" }, { operation: "undelete", extra: 1 }, { op: "undelete" }, { operation: "" }, { operation: null }]) {
        const res = await fails(422, "PATCH", path, body);
        expect(res.body.errors).toBeDefined();
      }
      for (const raw of ["", "null", "{}"]) await fails(400, "PATCH", path, { raw }, JSON_CT);
      await fails(400, "PATCH", path, { raw: "{" }, JSON_CT);
      await fails(415, "PATCH", path, { raw: '{"operation":"undelete"}' }, { "content-type": "text/plain" });
    }
  });

  test("If-Match that does not parse or is stale -> 412", async () => {
    await fails(412, "PATCH", `/v3/images/${ids.image}`, { arch: "aarch64" }, { ...JSON_CT, "if-match": "banana" });
    await fails(412, "PATCH", `/v3/images/${ids.image}`, { arch: "aarch64" }, { ...JSON_CT, "if-match": '"999"' });
    await fails(412, "DELETE", `/v2/images/${ids.image}`, undefined, { "if-match": '"999"' });
    await fails(412, "DELETE", `/v3/public-keys/${ids.publicKey}`, undefined, { "if-match": "1" });
  });
});

/** Every path template with real ids filled in, and the methods api.md gives it. */
const TEMPLATES = (): [string, string[]][] => [
  ...["", "/v2", "/v3"].flatMap((p): [string, string[]][] => [
    [`${p}/public-keys`, ["GET", "POST", "DELETE"]],
    [`${p}/public-keys/${ids.publicKey}`, ["GET", "DELETE"]],
    [`${p}/recipes`, ["GET", "POST", "DELETE"]],
    [`${p}/recipes/${ids.recipe}`, ["GET", "PATCH", "DELETE"]],
    [`${p}/images`, ["GET", "POST", "DELETE"]],
    [`${p}/images/${ids.image}`, ["GET", "PATCH", "DELETE"]],
  ]),
  ...["public-keys", "recipes", "images"].flatMap((s): [string, string[]][] => [
    [`/v3/deleted/${s}`, ["GET", "PATCH", "DELETE"]],
    [`/v3/deleted/${s}/${ids.deletedImage}`, ["GET", "PATCH", "DELETE"]],
  ]),
  ["/v3/remote-build-nodes", ["GET", "POST", "DELETE"]],
  ["/v3/remote-build-nodes/x1", ["GET", "DELETE"]],
  ["/v3/remote-build-nodes/status", ["GET", "DELETE"]], // DELETE goes to the {xname} route, as in Flask
  ["/v3/remote-build-nodes/status/x1", ["GET"]],
  ["/healthz/ready", ["GET"]],
  ["/healthz/live", ["GET"]],
  ["/version", ["GET"]],
];

describe("routing", () => {
  test("methods a path does not support -> 405 with Allow", async () => {
    for (const [path, allowed] of TEMPLATES()) {
      for (const method of ["GET", "POST", "PATCH", "DELETE", "PUT"].filter((m) => !allowed.includes(m))) {
        const res = await fails(405, method, path, method === "GET" ? undefined : { name: "x" });
        expect(res.body).toEqual({ status: 405, title: "Method Not Allowed", detail: "The method is not allowed for the requested URL." });
        const allow = res.headers.get("allow")!.split(", ");
        for (const m of allowed) expect(allow).toContain(m);
        expect(allow).not.toContain(method);
      }
    }
  });

  test("a trailing slash is 404 for every method", async () => {
    for (const [path] of TEMPLATES()) {
      for (const method of ["GET", "POST", "PATCH", "DELETE"]) {
        const res = await fails(404, method, `${path}/`, method === "GET" || method === "DELETE" ? undefined : { name: "x" });
        expect(res.body.detail).toContain("URL was not found");
      }
    }
  });

  test("OPTIONS lists the methods (Flask's automatic OPTIONS); HEAD works where GET does", async () => {
    const res = await r.call("OPTIONS", "/v3/recipes");
    expect(res.status).toBe(200);
    expect(res.headers.get("allow")).toBe("DELETE, GET, HEAD, OPTIONS, POST");
    const head = await r.call("HEAD", `/v3/recipes/${ids.recipe}`);
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect((await r.call("OPTIONS", "/nowhere")).status).toBe(404);
  });
});

describe("hostile strings are stored and returned exactly", () => {
  const HOSTILE = [
    "line1\nline2\r\n", "nul\u0000byte", "sep\u2028\u2029", "rtl\u202eoverride", "emoji 😀", "lone \ud800 surrogate",
    "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "{{name}}", "a\tb\u001f", "\ufeffbom", " ".repeat(5),
  ];

  test.each(HOSTILE.map((s) => [JSON.stringify(s), s]))("%s", async (_label, s) => {
    const key = await r.call("POST", "/v2/public-keys", { name: s, public_key: s });
    expect(key.status).toBe(201);
    expect(key.text).toMatch(/^[\x20-\x7e]*\n$/); // escaped, like upstream's json.dumps
    expect((await r.call("GET", `/v2/public-keys/${key.body.id}`)).body).toMatchObject({ name: s, public_key: s });
    const image = await r.call("POST", "/v3/images", { name: s, metadata: { [s]: s } });
    expect(image.status).toBe(201);
    expect((await r.call("GET", `/v3/images/${image.body.id}`)).body).toMatchObject({ name: s, metadata: { [s]: s } });
    await r.call("DELETE", `/v2/public-keys/${key.body.id}`);
    await r.call("DELETE", `/v2/images/${image.body.id}`);
  });

  // ssh is run with the xname as its destination: only a host name is stored.
  test.each([...HOSTILE, "x1; rm -rf /", "-oProxyCommand=sh", "x1 x2", "a..b", `${"a".repeat(64)}.b`, "a".repeat(254)].map((s) => [JSON.stringify(s), s]))(
    "xname %s: 422 naming the field, nothing stored",
    async (_label, s) => {
      const res = await fails(422, "POST", "/v3/remote-build-nodes", { xname: s });
      expect(Object.keys(res.body.errors)).toEqual(["xname"]);
      expect(res.body.errors.xname[0]).toStartWith("Not a valid host name");
    },
  );

  test("host names up to 253 characters are xnames", async () => {
    for (const xname of ["x3000c0s1b0n0", "ncn-w001.nmn", "10.252.1.7", "a".repeat(63) + "." + "b".repeat(63), `${"a.".repeat(126)}b`]) {
      const node = await r.call("POST", "/v3/remote-build-nodes", { xname });
      expect([xname, node.status]).toEqual([xname, 201]);
      await r.ims.remoteBuildNodes.delete(xname);
    }
  });

  test("a name just under the limit is accepted; 1 MiB is not", async () => {
    const big = await r.call("POST", "/v2/public-keys", { name: "n".repeat(MiB - 100), public_key: "k" });
    expect(big.status).toBe(201);
    await r.call("DELETE", `/v2/public-keys/${big.body.id}`);
    await fails(413, "POST", "/v2/public-keys", { name: "n".repeat(MiB), public_key: "k" });
  });
});
