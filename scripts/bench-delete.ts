/**
 * `bun run bench:delete`: does a v3 image DELETE take as long for a 512 MiB rootfs as for a
 * 1 KiB one? It should: the request only plans (HEADs) and journals; the worker moves the
 * objects afterwards. Runs the real service (main.ts) on s3rver, then on Ceph RGW (scripts/rgw.sh;
 * IMS_TEST_S3 picks one), creates fresh images for every round, and prints per server the median
 * DELETE latency per size, their ratio (target < 1.5) and how long the background moves took.
 * Numbers only, no pass/fail.
 */
import { CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, UploadPartCommand, type S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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

/** DELETE latency, then the time until the journaled moves are done (from the DELETE's start). */
async function measure(svc: Service, id: string) {
  const t0 = performance.now();
  const res = await fetch(`${svc.base}/v3/images/${id}`, { method: "DELETE" });
  const deleteMs = performance.now() - t0;
  if (res.status !== 204) throw new Error(`DELETE ${id}: ${res.status} ${await res.text()}`);
  for (;;) {
    const ops = (await svc.call("GET", `/v3/operations?record_id=${id}`)).body as { state: string }[];
    if (ops.length && ops.every((o) => o.state === "done")) return { deleteMs, movedMs: performance.now() - t0 };
    await Bun.sleep(5);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The rounds on one server; prints its lines. */
async function benchOn(flavour: S3Flavour) {
  const dir = mkdtempSync(join(tmpdir(), "ims-bench-delete-"));
  const s3 = await openTestS3(flavour, [BUCKET]);
  const sdk = s3.client();
  let svc: Service | undefined;
  try {
    svc = await startService(serviceEnv(s3, dir));
    for (const size of SIZES) await uploadTemplate(sdk, `template/${size.bytes}`, size.bytes);
    const results = new Map(SIZES.map((s) => [s.label, { deleteMs: [] as number[], movedMs: [] as number[] }]));
    // Round 0 warms up connections and the JIT; it is not counted. Sizes alternate within a round.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const size of round % 2 ? SIZES : [...SIZES].reverse()) {
        const id = await freshImage(svc, sdk, `bench-${size.bytes}-${round}`, `template/${size.bytes}`);
        await settled(svc); // nothing else in flight while we measure
        const m = await measure(svc, id);
        // s3rver prunes emptied directories racily: let every move end before the next upload.
        await settled(svc);
        if (round === 0) continue;
        results.get(size.label)!.deleteMs.push(m.deleteMs);
        results.get(size.label)!.movedMs.push(m.movedMs);
      }
    }
    console.log(`v3 DELETE /v3/images/{id} on ${flavour}, ${ROUNDS} rounds (fresh image each), default copy settings (CopyObject up to 5 GiB)`);
    for (const [label, r] of results) {
      console.log(
        `  rootfs ${label.padEnd(8)} DELETE median ${ms(median(r.deleteMs)).padStart(9)}  [${r.deleteMs.map((x) => x.toFixed(1)).join(", ")}]` +
          `   background moves done after median ${ms(median(r.movedMs))}`,
      );
    }
    const [small, large] = SIZES.map((s) => median(results.get(s.label)!.deleteMs));
    console.log(`  ratio 512 MiB / 1 KiB DELETE latency: ${(large! / small!).toFixed(2)} (target < 1.5)`);
  } finally {
    await svc?.stop();
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const flavour of s3Flavours()) await benchOn(flavour);
