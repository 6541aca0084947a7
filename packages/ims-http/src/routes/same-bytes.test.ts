/**
 * The same requests give the same bytes whatever the store: one script of creates, reads,
 * patches, deletes, undeletes and refusals, plus a migrated upstream data directory, run on
 * the memory store, a SQLite file and PostgreSQL, with the same ids and clock. Timestamps of
 * migrated records come back exactly as upstream's files wrote them.
 */
import { afterAll, expect, test } from "bun:test";
import { importRecords, parseLegacyData, type Clock, type IdGenerator } from "@ims/core";
import { IDS, legacyFiles, openTestStore, STORE_KINDS, type StoreKind } from "@ims/core/test-support";
import { rig, type Rig } from "../test-support/app.ts";

const opened: Rig[] = [];
/** Each store's cleanup: closing a rig closes its store, but only this drops its database. */
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const r of opened) await r.close();
  for (const cleanup of cleanups) await cleanup();
});

async function testStore(kind: StoreKind) {
  const { store, cleanup } = await openTestStore(kind);
  cleanups.push(cleanup);
  return store;
}

/** Ids and a clock that every run shares: microsecond timestamps, one with no fraction. */
function deterministic(): { ids: IdGenerator; clock: Clock } {
  let n = 0;
  let micros = Date.UTC(2026, 11, 2, 0, 10, 2) * 1000 - 2 * 123457;
  return {
    ids: { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}` },
    clock: { now: () => new Date(Math.floor(micros / 1000)), epochMicros: () => (micros += 123457) },
  };
}

async function transcript(kind: StoreKind): Promise<string[]> {
  const store = await testStore(kind);
  const r = await rig({}, { store, core: deterministic() });
  opened.push(r);
  await r.artifacts.write({ bucket: "ims", key: "recipes/r.tgz" }, "archive", "application/gzip");
  const out: string[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await r.call(method, path, body);
    out.push(`${method} ${path} -> ${res.status} ${res.headers.get("content-type")} ${res.headers.get("etag")}\n${res.text}`);
    return res;
  };
  const key = (await call("POST", "/v3/public-keys", { name: "ключ 😀", public_key: "ssh-ed25519 AAAA" })).body.id;
  const recipe = (await call("POST", "/v3/recipes", {
    name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/r.tgz", type: "s3" },
    template_dictionary: [{ key: "b", value: "2" }, { key: "a", value: "1" }],
  })).body.id;
  const image = (await call("POST", "/v3/images", { name: "img", metadata: { "9": "nine", "10": "ten", z: "é", a: "\u2028" } })).body.id;
  await call("POST", "/v3/remote-build-nodes", { xname: "x3000c0s1b0n0" });
  await call("PATCH", `/v3/images/${image}`, { metadata: { operation: "set", key: "100", value: "x" } });
  await call("PATCH", `/v3/recipes/${recipe}`, { arch: "aarch64", require_dkms: "No" });
  for (const path of ["/v3/public-keys", "/v3/recipes", "/v3/images", "/v3/remote-build-nodes", `/v3/images/${image}`, `/v3/recipes/${recipe}`]) await call("GET", path);
  await call("DELETE", `/v3/public-keys/${key}`);
  await call("DELETE", `/v3/recipes/${recipe}`);
  await r.ims.worker.drain();
  await call("GET", "/v3/deleted/public-keys");
  await call("GET", `/v3/deleted/recipes/${recipe}`);
  await call("PATCH", `/v3/deleted/recipes/${recipe}`, { operation: "undelete" });
  await r.ims.worker.drain();
  await call("GET", "/v3/recipes");
  await call("POST", "/v3/images", { name: "", bogus: 1 });
  await call("GET", "/v3/images/nope");

  await importRecords(store, parseLegacyData(legacyFiles()));
  for (const path of ["/v3/public-keys", "/v3/deleted/public-keys", "/v3/recipes", "/v3/deleted/recipes", "/v3/images", "/v3/deleted/images", "/v3/jobs", "/v3/remote-build-nodes"]) {
    await call("GET", path);
  }
  return out;
}

test("memory, SQLite and PostgreSQL answer the same script with the same bytes", async () => {
  const [memory, ...others] = await Promise.all(STORE_KINDS.map(transcript));
  for (const [i, other] of others.entries()) expect({ store: STORE_KINDS[i + 1], transcript: other }).toEqual({ store: STORE_KINDS[i + 1], transcript: memory! });
  const text = memory!.join("\n");
  // Microseconds, the fraction left out when it is zero (the second create).
  expect(text).toContain('"created":"2026-12-02T00:10:02"');
  expect(text).toContain('"created":"2026-12-02T00:10:02.123457"');
  // jsonify's order: "10" < "100" < "9" < "a" < "z", non-ASCII escaped.
  expect(text).toContain('"metadata":{"10":"ten","100":"x","9":"nine","a":"\\u2028","z":"\\u00e9"}');
});

test("migrated timestamps come back exactly as upstream's files wrote them, on every store", async () => {
  for (const kind of STORE_KINDS) {
    const store = await testStore(kind);
    const r = await rig({}, { store });
    opened.push(r);
    await importRecords(store, parseLegacyData(legacyFiles()));
    const get = async (path: string) => (await r.call("GET", path)).text;
    expect([kind, await get(`/v3/public-keys/${IDS.key1}`)]).toEqual([kind, expect.stringContaining('"created":"2023-11-02T08:15:42.123456"')]);
    expect([kind, await get(`/v3/images/${IDS.image2}`)]).toEqual([kind, expect.stringContaining('"created":"2024-03-02T10:00:00"')]);
    expect([kind, await get(`/v3/images/${IDS.image3}`)]).toEqual([kind, expect.stringContaining('"created":"2024-03-03T10:00:00+00:00"')]);
    expect([kind, await get(`/v3/deleted/public-keys/${IDS.deletedKey}`)]).toEqual([kind, expect.stringContaining('"deleted":"2024-02-01T12:00:00.5"')]);
  }
});
