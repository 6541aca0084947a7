/**
 * GET /v3/events through the app: the stream's framing, each change as an event whose record is
 * byte for byte what GET answers, filters, Last-Event-ID, heartbeats, and the 400s.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { rig, type Rig } from "../test-support/app.ts";
import { sseReader } from "../test-support/sse.ts";

let r: Rig;
beforeEach(async () => {
  r = await rig({ eventHeartbeatMs: 20 });
});
afterEach(async () => {
  r.ims.events.close();
  await r.close();
});

const open = async (path = "/v3/events", headers: Record<string, string> = {}) => {
  const res = await r.app.handle(new Request(`http://localhost${path}`, { headers }));
  expect(res.status).toBe(200);
  const sse = sseReader(res.body!);
  expect(await sse.block()).toBe(": ims events"); // subscribed: every later commit is sent
  return { res, sse };
};

describe("GET /v3/events", () => {
  test("an event per change: id, and one line of JSON carrying the record exactly as GET answers it", async () => {
    const { res, sse } = await open();
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const created = await r.call("POST", "/v3/images", { name: "é \u2028 img", metadata: { k: "v" } });
    const first = await r.call("GET", `/v3/images/${created.body.id}`);
    await r.call("PATCH", `/v3/images/${created.body.id}`, { arch: "aarch64" });
    const patched = await r.call("GET", `/v3/images/${created.body.id}`);
    await r.call("DELETE", `/v3/images/${created.body.id}`);
    const [a, b, c] = [await sse.event(), await sse.event(), await sse.event()];
    expect(a!.json).toMatchObject({ collection: "images", id: created.body.id, change: "created", version: 1, time: expect.stringMatching(/Z$/) });
    expect(b!.json).toMatchObject({ change: "updated", version: 2 });
    expect(c!.json).toMatchObject({ change: "deleted", version: 1, record: { id: created.body.id, deleted: expect.any(String) } });
    // The record's bytes inside the event are GET's (non-ASCII escaped alike), without the newline.
    expect(a!.data).toContain(`"record":${first.text.trimEnd()}}`);
    expect(b!.data).toContain(`"record":${patched.text.trimEnd()}}`);
    expect(/^[\x20-\x7e]*$/.test(a!.data!)).toBe(true);
    expect(Number(b!.id)).toBeGreaterThan(Number(a!.id));
    await sse.cancel();
  });

  test("filters: ?collection= (repeated or comma-separated) and ?id=", async () => {
    const { sse: jobsOrKeys } = await open("/v3/events?collection=jobs,public-keys");
    const { sse: oneImage } = await open("/v3/events?collection=images&collection=recipes&id=wanted");
    await r.call("POST", "/v3/images", { name: "other" });
    const key = await r.call("POST", "/v3/public-keys", { name: "k", public_key: "ssh-ed25519 AAAA" });
    await r.ims.images.create({ name: "x" }); // another image
    await r.store.transaction((tx) => tx.insert("images", "wanted", { id: "wanted", name: "w", arch: "x86_64", link: null, metadata: {}, created: "2024-01-01T00:00:00" }));
    expect((await jobsOrKeys.event())!.json).toMatchObject({ collection: "public-keys", id: key.body.id });
    expect((await oneImage.event())!.json).toMatchObject({ collection: "images", id: "wanted", change: "created" });
  });

  test("Last-Event-ID replays what came after it; from further back than the log, a gap event", async () => {
    const ids = [];
    for (const name of ["a", "b", "c"]) ids.push((await r.call("POST", "/v3/public-keys", { name, public_key: "ssh-ed25519 AAAA" })).body.id);
    const { sse } = await open();
    await r.call("POST", "/v3/public-keys", { name: "d", public_key: "ssh-ed25519 AAAA" });
    const d = await sse.event();
    const { sse: resumed } = await open("/v3/events", { "last-event-id": String(Number(d!.id) - 3) });
    expect([await resumed.event(), await resumed.event(), await resumed.event()].map((e) => e!.json.id)).toEqual([ids[1], ids[2], d!.json.id]);
    const { sse: lost } = await open("/v3/events", { "last-event-id": "999999" });
    const gap = await lost.event();
    expect(gap!.json).toEqual({ change: "gap", after: 999999, reason: "unknown" });
    expect(gap!.id).toBe(d!.id); // resume from here
  });

  test("a comment now and then while nothing happens", async () => {
    const { sse } = await open();
    expect(await sse.block()).toBe(": heartbeat");
  });

  test("bad filters and Last-Event-ID are 400 problems", async () => {
    for (const [path, headers, detail] of [
      ["/v3/events?collection=widgets", {}, /collection must be one of public-keys, recipes, images, jobs, remote-build-nodes, operations/],
      ["/v3/events?id=", {}, /id must be given at most once/],
      ["/v3/events?id=a&id=b", {}, /id must be given at most once/],
      ["/v3/events", { "last-event-id": "12abc" }, /Last-Event-ID must be the id of an event/],
      ["/v3/events", { "last-event-id": "-1" }, /Last-Event-ID/],
    ] as const) {
      const res = await r.call("GET", path, undefined, headers);
      expect({ path, status: res.status, type: res.headers.get("content-type") }).toEqual({ path, status: 400, type: "application/problem+json" });
      expect(res.body.detail).toMatch(detail);
    }
    expect(r.ims.events.subscribers).toBe(0);
  });

  test("the stream ends when the service closes its events (shutdown)", async () => {
    const { sse } = await open();
    r.ims.events.close();
    expect(await sse.event()).toBeUndefined();
    expect((await r.call("GET", "/v3/events")).status).toBe(503);
  });
});
