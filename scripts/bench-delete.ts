/**
 * `bun run bench:delete`: what a v3 image DELETE costs its caller and everyone else. The DELETE
 * answers once its own moves are done (IMS_ARTIFACT_WAIT_MS), so its latency follows the copy:
 * 1 KiB vs 512 MiB rootfs, and the 512 MiB one with `Prefer: respond-async` (202 at once). The
 * point is that nobody else waits: GETs of another image from concurrent clients while the
 * 512 MiB DELETE runs, against the same load for as long with nothing else running (p50/p99).
 * Runs the real service on s3rver, then on Ceph RGW (scripts/rgw.sh; IMS_TEST_S3 picks one).
 * Numbers only, no pass/fail.
 */
import { CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, UploadPartCommand, type S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  ROOTFS, manifestOf, openTestS3, put, s3Flavours, serviceEnv, settled, startService, type S3Flavour, type Service,
} from "../packages/ims-cli/src/test-support/s3-service.ts";

const MiB = 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const SIZES = [
  { label: "1 KiB", bytes: 1024 },
  { label: "512 MiB", bytes: 512 * MiB },
];
const BUCKET = "boot-images";

/** A large object without a large buffer: one 16 MiB random chunk uploaded as every part. */
async function uploadTemplate(sdk: S3Client, key: string, bytes: number) {
  if (bytes < 16 * MiB) return put(sdk, BUCKET, key, randomBytes(bytes));
  const chunk = randomBytes(16 * MiB);
  const { UploadId } = await sdk.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  const parts = [];
  for (let n = 1; (n - 1) * chunk.length < bytes; n++) {
    const out = await sdk.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: n, Body: chunk, ContentLength: chunk.length }));
    parts.push({ PartNumber: n, ETag: out.ETag });
  }
  await sdk.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
}

/** A fresh image: the template rootfs copied server-side, small kernel/initrd, a manifest. */
async function freshImage(svc: Service, sdk: S3Client, name: string, template: string) {
  await sdk.send(new CopyObjectCommand({ Bucket: BUCKET, Key: `${name}/rootfs`, CopySource: `${BUCKET}/${template}` }));
  await put(sdk, BUCKET, `${name}/kernel`, "kernel");
  await put(sdk, BUCKET, `${name}/initrd`, "initrd");
  const listed = ["rootfs", "kernel", "initrd"].map((k, i) => ({
    type: [ROOTFS, "application/vnd.cray.image.kernel", "application/vnd.cray.image.initrd"][i]!,
    path: `s3://${BUCKET}/${name}/${k}`,
  }));
  await put(sdk, BUCKET, `${name}/manifest.json`, manifestOf(listed));
  const res = await svc.call("POST", "/v3/images", { name, link: { path: `s3://${BUCKET}/${name}/manifest.json`, type: "s3" } });
  if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** DELETE latency (the answer comes once the moves are done), then the time until the journal says done. */
async function measure(svc: Service, id: string, headers: Record<string, string> = {}) {
  const t0 = performance.now();
  const res = await fetch(`${svc.base}/v3/images/${id}`, { method: "DELETE", headers });
  const deleteMs = performance.now() - t0;
  if (res.status !== 204 && res.status !== 202) throw new Error(`DELETE ${id}: ${res.status} ${await res.text()}`);
  for (;;) {
    const ops = (await svc.call("GET", `/v3/operations?record_id=${id}`)).body as { state: string }[];
    if (ops.length && ops.every((o) => o.state === "done")) return { deleteMs, movedMs: performance.now() - t0 };
    await Bun.sleep(5);
  }
}

/** GETs of one image from CLIENTS concurrent loops until `stop` resolves; every latency in ms. */
async function getLoad(svc: Service, id: string, stop: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void stop.finally(() => (done = true));
  const loop = async () => {
    while (!done) {
      const t = performance.now();
      const res = await fetch(`${svc.base}/v3/images/${id}`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, loop));
  return latencies;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const CLIENTS = 4;

/** The rounds on one server; prints its lines. */
async function benchOn(flavour: S3Flavour) {
  const dir = mkdtempSync(join(tmpdir(), "ims-bench-delete-"));
  const s3 = await openTestS3(flavour, [BUCKET]);
  const sdk = s3.client();
  let svc: Service | undefined;
  try {
    svc = await startService(serviceEnv(s3, dir));
    for (const size of SIZES) await uploadTemplate(sdk, `template/${size.bytes}`, size.bytes);
    const probe = await freshImage(svc, sdk, "probe", `template/${SIZES[0]!.bytes}`);
    const results = new Map(SIZES.map((s) => [s.label, { deleteMs: [] as number[], movedMs: [] as number[] }]));
    const asyncMs: number[] = [];
    const quiet: number[] = [];
    const busy: number[] = [];
    // Round 0 warms up connections and the JIT; it is not counted. Sizes alternate within a round.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const size of round % 2 ? SIZES : [...SIZES].reverse()) {
        const id = await freshImage(svc, sdk, `bench-${size.bytes}-${round}`, `template/${size.bytes}`);
        await settled(svc); // nothing else in flight while we measure
        const large = size === SIZES[1];
        // GETs of another image while this DELETE (and its copy) runs.
        const deleting = measure(svc, id);
        const during = large ? getLoad(svc, probe, deleting) : Promise.resolve([]);
        const m = await deleting;
        const gets = await during;
        // s3rver prunes emptied directories racily: let every move end before the next upload.
        await settled(svc);
        if (round === 0) continue;
        results.get(size.label)!.deleteMs.push(m.deleteMs);
        results.get(size.label)!.movedMs.push(m.movedMs);
        if (!large) continue;
        busy.push(...gets);
        // The same load for as long, with nothing else running.
        quiet.push(...(await getLoad(svc, probe, Bun.sleep(m.deleteMs))));
        // And a client that would rather not wait (Prefer: respond-async).
        const other = await freshImage(svc, sdk, `async-${round}`, `template/${size.bytes}`);
        await settled(svc);
        asyncMs.push((await measure(svc, other, { prefer: "respond-async" })).deleteMs);
        await settled(svc);
      }
    }
    console.log(`v3 DELETE /v3/images/{id} on ${flavour}, ${ROUNDS} rounds (fresh image each), default copy settings (CopyObject up to 5 GiB), load average ${loadavg()[0]!.toFixed(1)}`);
    for (const [label, r] of results) {
      console.log(
        `  rootfs ${label.padEnd(8)} DELETE median ${ms(median(r.deleteMs)).padStart(9)}  [${r.deleteMs.map((x) => x.toFixed(1)).join(", ")}]` +
          `   journal done after median ${ms(median(r.movedMs))}`,
      );
    }
    console.log(`  rootfs 512 MiB  DELETE with Prefer: respond-async (202) median ${ms(median(asyncMs))}`);
    console.log(
      `  GET /v3/images/{id} (${CLIENTS} clients): alone p50 ${ms(pct(quiet, 50))} p99 ${ms(pct(quiet, 99))} (${quiet.length} requests);` +
        ` during a 512 MiB DELETE p50 ${ms(pct(busy, 50))} p99 ${ms(pct(busy, 99))} (${busy.length} requests); p99 ratio ${(pct(busy, 99) / pct(quiet, 99)).toFixed(2)}`,
    );
  } finally {
    await svc?.stop();
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const flavour of s3Flavours()) await benchOn(flavour);
