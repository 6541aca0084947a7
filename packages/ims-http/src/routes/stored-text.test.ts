/** Lists and records are served from the store's JSON text: the bytes must equal serialising them. */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { list, record } from "./route-table.ts";
import { rig, type Rig } from "../test-support/app.ts";

let r: Rig;
beforeEach(async () => {
  r = await rig();
});
afterEach(async () => {
  await r.close();
});

const NAMES = ["plain", "é ß 中文", "emoji 😀", "sep\u2028para\u2029", "del\u007f", "quote \" back \\ slash", "ctl \u0001\n\t", "lone \ud800"];

test.each([
  ["/v3/public-keys", "publicKeys", (name: string) => ({ name, public_key: name })],
  ["/v3/images", "images", (name: string) => ({ name, metadata: { [name]: name } })],
] as const)("GET %s and GET of each record are byte-identical to serialising the records", async (path, resource, body) => {
  for (const name of NAMES) {
    const created = await r.call("POST", path, body(name));
    expect(created.status).toBe(201);
    const got = await r.call("GET", `${path}/${created.body.id}`);
    expect(got.body).toEqual(created.body); // the same record; the 201 is json.dumps-spaced, the GET jsonify-compact
    expect(got.text).toBe(await record(200, await r.ims[resource].get(created.body.id)).text());
    expect(got.headers.get("etag")).toBe('"1"');
  }
  const res = await r.call("GET", path);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json");
  const expected = await list(await r.ims[resource].list()).text();
  expect(res.text).toBe(expected);
  expect(/^[\x00-\x7e]*$/.test(res.text)).toBe(true);
  expect(res.body.map((x: { name: string }) => x.name)).toEqual(NAMES);
});

test.each([
  ["ASCII", "k"],
  ["with non-ASCII (escaped like Python)", "ключ"],
])("a list over 64 KB, %s, is byte-identical too, answered again from its cached body until it changes", async (_, word) => {
  const post = (i: number) => r.call("POST", "/v3/public-keys", { name: `n${i}`, public_key: `${word}-${i}-`.padEnd(300, word) });
  for (let i = 0; i < 300; i++) expect((await post(i)).status).toBe(201);
  const res = await r.call("GET", "/v3/public-keys");
  expect(res.text.length).toBeGreaterThan(64 * 1024);
  expect(res.text).toBe(await list(await r.ims.publicKeys.list()).text());
  expect(res.body).toHaveLength(300);
  const again = await Promise.all([1, 2].map(() => r.call("GET", "/v3/public-keys")));
  expect(again.map((a) => a.text)).toEqual([res.text, res.text]);
  expect((await post(300)).status).toBe(201);
  const changed = await r.call("GET", "/v3/public-keys");
  expect(changed.body).toHaveLength(301);
  expect(changed.text).toBe(await list(await r.ims.publicKeys.list()).text());
});
