/**
 * Concurrent requests against the in-process app on each real store: one Idempotency-Key
 * creates one record, and one ETag lets exactly one PATCH through.
 */
import { describe, expect, test } from "bun:test";
import { rig, type Reply } from "./test-support/app.ts";
import { openTestStore, STORE_KINDS, type StoreKind } from "@ims/core/test-support";

async function withRig(kind: StoreKind, fn: (r: Awaited<ReturnType<typeof rig>>) => Promise<void>) {
  const { store, cleanup } = await openTestStore(kind);
  const r = await rig({}, { store });
  try {
    await fn(r);
  } finally {
    await r.close();
    await cleanup();
  }
}

const seen = (res: Reply) => ({ status: res.status, text: res.text, etag: res.headers.get("etag") });

describe.each(STORE_KINDS)("%s store", (kind) => {
  test.each([
    ["/v3/images", { name: "img", metadata: { k: "v" } }],
    ["/v3/public-keys", { name: "admin", public_key: "ssh-ed25519 AAAA" }],
    ["/v3/remote-build-nodes", { xname: "x3000c0s1b0n0" }],
  ])("20 concurrent POST %s with one Idempotency-Key: one record, 20 identical answers", async (path, body) => {
    await withRig(kind, async (r) => {
      const headers = { "idempotency-key": `race-${path}` };
      const answers = await Promise.all(Array.from({ length: 20 }, () => r.call("POST", path, body, headers)));
      expect(answers[0]!.status).toBe(201);
      for (const a of answers) expect(seen(a)).toEqual(seen(answers[0]!));
      expect((await r.call("GET", path)).body).toEqual([answers[0]!.body]);
    });
  });

  test("50 concurrent PATCHes of one image with the same ETag: one 200, 49 412s", async () => {
    await withRig(kind, async (r) => {
      const created = await r.call("POST", "/v3/images", { name: "img" });
      const etag = created.headers.get("etag")!;
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          r.call("PATCH", `/v3/images/${created.body.id}`, { metadata: { operation: "set", key: "writer", value: String(i) } }, { "if-match": etag }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(49);
      for (const a of answers.filter((a) => a.status === 412)) expect(a.headers.get("content-type")).toBe("application/problem+json");
      // The one winner's write is what is stored, at the next version.
      const winner = answers.find((a) => a.status === 200)!;
      const now = await r.call("GET", `/v3/images/${created.body.id}`);
      expect(now.headers.get("etag")).toBe(`"${Number(JSON.parse(etag)) + 1}"`);
      expect(now.body).toEqual(winner.body);
    });
  });
});
