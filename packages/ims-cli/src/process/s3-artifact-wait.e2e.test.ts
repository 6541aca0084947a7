/**
 * What a script sees right after a delete, through the real process on real S3 servers (s3rver
 * and Ceph RGW): the
 * answer comes once the moves are done, so S3 already holds what upstream leaves (keys, the
 * deleted manifest, the link etag); `Prefer: respond-async` gets 202 at once; past
 * IMS_ARTIFACT_WAIT_MS the answer is 204 with the work still journaled, and the journal ends it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BUCKETS, ROOTFS, getText, keys, manifestOf, openTestS3, put, s3Flavours, serviceEnv, settled, startService,
  type S3Flavour, type Service, type TestS3,
} from "../test-support/s3-service.ts";

const MiB = 1024 * 1024;

for (const flavour of s3Flavours()) describe(`on ${flavour}`, () => suite(flavour));

function suite(flavour: S3Flavour) {
  let s3: TestS3;
  let sdk: S3Client;
  let dir: string;
  const services: Service[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ims-s3-wait-"));
    s3 = await openTestS3(flavour, BUCKETS);
    sdk = s3.client();
  });

  afterAll(async () => {
    for (const svc of services) await svc.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function service(name: string, extra: Record<string, string> = {}) {
    mkdirSync(join(dir, name)); // the service creates its database, not a mistyped directory
    const svc = await startService(serviceEnv(s3, join(dir, name), extra));
    services.push(svc);
    return svc;
  }

  async function image(svc: Service, name: string, rootfs: string | Uint8Array = `rootfs of ${name}`) {
    await put(sdk, "boot-images", `${name}/rootfs`, rootfs);
    await put(sdk, "boot-images", `${name}/manifest.json`, manifestOf([{ type: ROOTFS, path: `s3://boot-images/${name}/rootfs` }]));
    const res = await svc.call("POST", "/v3/images", { name, link: { path: `s3://boot-images/${name}/manifest.json`, type: "s3" } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  const under = async (prefix: string) => (await keys(sdk, "boot-images")).filter((k) => k.startsWith(prefix) || k.includes(`/${prefix}`));

  test("after a 204 from DELETE, S3 already holds the deleted objects and a deleted manifest naming their etags", async () => {
    const svc = await service("wait");
    const id = await image(svc, "now");
    expect((await svc.call("DELETE", `/v3/images/${id}`)).status).toBe(204);
    // No waiting for the journal here: this is what a script reads right after the answer.
    expect(await under("now/")).toEqual(["deleted/now/manifest.json", "deleted/now/rootfs"]);
    const dead = (await svc.call("GET", `/v3/deleted/images/${id}`)).body;
    expect(dead.link).toEqual({ path: `s3://boot-images/deleted/${id}/deleted_manifest.json`, etag: "", type: "s3" }); // as upstream writes it
    const manifest = JSON.parse(await getText(sdk, "boot-images", `deleted/${id}/deleted_manifest.json`));
    for (const a of manifest.artifacts) {
      const key = a.link.path.replace("s3://boot-images/", "");
      const head = await sdk.send(new HeadObjectCommand({ Bucket: "boot-images", Key: key }));
      expect(a.link.etag).toBe(head.ETag!.replaceAll('"', "")); // the copies' etags, read back after the copy
    }

    // The deleted manifest removed by hand: the undelete fails as upstream's does, and nothing changes.
    await sdk.send(new DeleteObjectCommand({ Bucket: "boot-images", Key: `deleted/${id}/deleted_manifest.json` }));
    const undo = await svc.call("PATCH", `/v3/deleted/images/${id}`, { operation: "undelete" });
    expect(undo.status).toBe(422);
    expect((await svc.call("GET", `/v3/deleted/images/${id}`)).status).toBe(200);
  });

  test("undelete answers 204 with the original keys back", async () => {
    const svc = services[0]!;
    const id = await image(svc, "back");
    await svc.call("DELETE", `/v3/images/${id}`);
    expect((await svc.call("PATCH", `/v3/deleted/images/${id}`, { operation: "undelete" })).status).toBe(204);
    expect(await under("back/")).toEqual(["back/manifest.json", "back/rootfs"]);
    expect((await svc.call("GET", `/v3/images/${id}`)).body.link.path).toBe("s3://boot-images/back/manifest.json");
  });

  test("Prefer: respond-async answers 202 with the operation; IMS_ARTIFACT_WAIT_MS=0 makes that the default", async () => {
    const svc = services[0]!;
    const id = await image(svc, "later");
    const res = await svc.call("DELETE", `/v3/images/${id}`, undefined, { prefer: "respond-async" });
    expect(res.status).toBe(202);
    expect(res.headers.get("preference-applied")).toBe("respond-async");
    const op = await svc.call("GET", res.headers.get("location")!);
    expect(op.body).toMatchObject({ recordId: id, action: "soft delete image" });
    await settled(svc);
    expect(await under("later/")).toEqual(["deleted/later/manifest.json", "deleted/later/rootfs"]);

    const eager = await service("eager", { IMS_ARTIFACT_WAIT_MS: "0" });
    const other = await image(eager, "eager");
    expect((await eager.call("DELETE", `/v3/images/${other}`)).status).toBe(202);
    await settled(eager);
  });

  test("past IMS_ARTIFACT_WAIT_MS the answer is 204 with the move still journaled, and it finishes", async () => {
    // A multipart copy of 40 MiB in 5 MiB parts, one at a time: far longer than 1 ms.
    const svc = await service("bound", { IMS_ARTIFACT_WAIT_MS: "1", S3_MULTIPART_THRESHOLD_BYTES: "0", S3_MULTIPART_PART_BYTES: String(5 * MiB), S3_COPY_CONCURRENCY: "1" });
    const id = await image(svc, "slow", randomBytes(40 * MiB));
    expect((await svc.call("DELETE", `/v3/images/${id}`)).status).toBe(204);
    const pending = (await svc.call("GET", "/v3/operations?state=pending")).body;
    expect(pending.map((o: { recordId: string }) => o.recordId)).toEqual([id]);
    expect(svc.lines.some((l) => l.msg === "answering before artifact work finished; the journal completes it")).toBe(true);
    await settled(svc);
    expect(await under("slow/")).toEqual(["deleted/slow/manifest.json", "deleted/slow/rootfs"]);
  });
}
