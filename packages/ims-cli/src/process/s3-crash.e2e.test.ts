/**
 * Crash safety of the artifact journal, through real processes: a v3 DELETE (then an undelete)
 * of an image whose 150 MiB rootfs is copied part by part; the service is killed with SIGKILL
 * in the middle of that multipart copy; a new process on the same SQLite file must finish the
 * work: every object exactly once at its final key, the record in its final state.
 *
 * Runs on s3rver and on Ceph RGW. On RGW the retried step first aborts the killed copy's upload
 * (ArtifactStore.abortUploads): no upload is left. s3rver cannot list or abort uploads (501/405),
 * so there exactly the killed uploads are left over, and the retried copy completed its own.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ROOTFS, getText, keys, manifestOf, md5Of, openTestS3, put, s3Flavours, serviceEnv, settled, startService,
  type S3Flavour, type Service, type TestS3,
} from "../test-support/s3-service.ts";

const MiB = 1024 * 1024;
const ROOTFS_BYTES = 150 * MiB;
const ASYNC = { prefer: "respond-async" };
const PART = 5 * MiB;
const PARTS = Math.ceil(ROOTFS_BYTES / PART);
const NAME = "crash";

for (const flavour of s3Flavours()) describe(`on ${flavour}`, () => suite(flavour));

function suite(flavour: S3Flavour) {
  let s3: TestS3;
  let sdk: S3Client;
  let dir: string;
  let env: Record<string, string>;
  let svc: Service | undefined;
  let rootfsMd5: string;
  let imageId: string;
  /** Upload ids of killed copies: the only leftovers allowed. */
  const killedUploads: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ims-crash-e2e-"));
    s3 = await openTestS3(flavour, ["boot-images"]);
    sdk = s3.client();
    env = serviceEnv(s3, dir, {
      S3_MULTIPART_THRESHOLD_BYTES: String(8 * MiB),
      S3_MULTIPART_PART_BYTES: String(PART),
      S3_COPY_CONCURRENCY: "1",
      // A killed process's lease runs out fast, so the next process takes the work over soon.
      IMS_OPERATION_LEASE_MS: "2000",
    });
    const rootfs = randomBytes(ROOTFS_BYTES);
    rootfsMd5 = createHash("md5").update(rootfs).digest("hex");
    await put(sdk, "boot-images", `${NAME}/kernel`, "kernel", { md5sum: "k" });
    await put(sdk, "boot-images", `${NAME}/rootfs`, rootfs, { md5sum: rootfsMd5 });
    await put(sdk, "boot-images", `${NAME}/initrd`, "initrd");
    // rootfs in the middle: the kernel's copy is done before the kill, so the restart must resume.
    const listed = [
      { type: "application/vnd.cray.image.kernel", path: `s3://boot-images/${NAME}/kernel` },
      { type: ROOTFS, path: `s3://boot-images/${NAME}/rootfs`, md5: rootfsMd5 },
      { type: "application/vnd.cray.image.initrd", path: `s3://boot-images/${NAME}/initrd` },
    ];
    await put(sdk, "boot-images", `${NAME}/manifest.json`, manifestOf(listed));
  }, 120_000);

  afterAll(async () => {
    await svc?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  /** RGW: none, the retried copy aborted them; s3rver cannot: the killed ones, and the retries completed theirs. */
  const leftOver = () => (flavour === "rgw" ? [] : killedUploads);

  const ORIGINAL = ["initrd", "kernel", "manifest.json", "rootfs"].map((k) => `${NAME}/${k}`);

  /**
   * Waits until the record's pending operation is copying the rootfs and the server holds a few of
   * its parts, then kills the service with SIGKILL. Returns what the journal said at that moment.
   */
  async function killMidCopy(from: string, to: string) {
    const [op] = (await svc!.call("GET", `/v3/operations?record_id=${imageId}&state=pending`)).body;
    expect(op).toBeDefined();
    const copyStep = op.steps.findIndex((s: any) => s.op === "copy" && s.from.key === from && s.to.key === to);
    expect(copyStep).toBeGreaterThan(0);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const now = (await svc!.call("GET", `/v3/operations/${op.id}`)).body;
      const upload = (await s3.uploads("boot-images")).find((u) => u.key === to && !killedUploads.includes(u.id));
      if (now.state === "pending" && now.nextStep === copyStep && upload && upload.parts >= 3 && upload.parts < PARTS) {
        svc!.proc.kill("SIGKILL");
        await svc!.proc.exited;
        svc = undefined;
        killedUploads.push(upload.id);
        console.log(`killed ${op.action} at step ${copyStep + 1}/${op.steps.length} (copy ${from} -> ${to}), ${upload.parts}/${PARTS} parts copied`);
        return { op, copyStep };
      }
      if (now.state !== "pending" || Date.now() > deadline) throw new Error(`missed the copy: ${JSON.stringify(now)}`);
      await Bun.sleep(5);
    }
  }

  /** Starts the next process on the same SQLite file and waits until the journal is drained. */
  async function restartAndSettle(opId: string) {
    const started = performance.now();
    svc = await startService(env);
    const ops = await settled(svc, 90_000);
    console.log(`restarted; the journal drained ${Math.round(performance.now() - started)} ms later`);
    const op = ops.find((o) => o.id === opId);
    expect(op).toMatchObject({ state: "done", lastError: null });
    expect(op.nextStep).toBe(op.steps.length);
    expect(ops.every((o) => o.state === "done")).toBe(true);
    return op;
  }

  const imageKeys = async () => (await keys(sdk, "boot-images")).filter((k) => k.includes(NAME) || k.includes(imageId));

  async function expectRootfsAt(key: string) {
    const head = await sdk.send(new HeadObjectCommand({ Bucket: "boot-images", Key: key }));
    expect(head.ContentLength).toBe(ROOTFS_BYTES);
    expect(head.Metadata).toEqual({ md5sum: rootfsMd5 }); // the multipart copy carried the metadata
    expect(await md5Of(sdk, "boot-images", key)).toBe(rootfsMd5);
  }

  test("v3 DELETE killed mid-copy: the next process finishes every move", async () => {
    svc = await startService(env);
    const created = await svc.call("POST", "/v3/images", { name: NAME, link: { path: `s3://boot-images/${NAME}/manifest.json`, type: "s3" } });
    expect(created.status).toBe(201);
    imageId = created.body.id;
    // respond-async: the answer comes at once, and the process dies with the copy under way.
    expect((await svc.call("DELETE", `/v3/images/${imageId}`, undefined, ASYNC)).status).toBe(202);

    const { op } = await killMidCopy(`${NAME}/rootfs`, `deleted/${NAME}/rootfs`);
    // At the kill: the original rootfs is intact and its copy is not visible yet.
    expect(await imageKeys()).toContain(`${NAME}/rootfs`);
    expect(await imageKeys()).not.toContain(`deleted/${NAME}/rootfs`);

    await restartAndSettle(op.id);
    const expected = [...ORIGINAL.map((k) => `deleted/${k}`), `deleted/${imageId}/deleted_manifest.json`].sort();
    expect(await imageKeys()).toEqual(expected);
    await expectRootfsAt(`deleted/${NAME}/rootfs`);

    const dead = (await svc!.call("GET", `/v3/deleted/images/${imageId}`)).body;
    expect(dead.link.path).toBe(`s3://boot-images/deleted/${imageId}/deleted_manifest.json`);
    expect((await svc!.call("GET", `/v3/images/${imageId}`)).status).toBe(404);
    const manifest = JSON.parse(await getText(sdk, "boot-images", `deleted/${imageId}/deleted_manifest.json`));
    expect(manifest.artifacts.map((a: any) => a.link.path)).toEqual(
      ["kernel", "rootfs", "initrd", "manifest.json"].map((k) => `s3://boot-images/deleted/${NAME}/${k}`),
    );
    expect((await s3.uploads("boot-images")).map((u) => u.id)).toEqual(leftOver());
  }, 180_000);

  test("undelete killed mid-copy: the next process restores every original key", async () => {
    expect((await svc!.call("PATCH", `/v3/deleted/images/${imageId}`, { operation: "undelete" }, ASYNC)).status).toBe(202);
    const { op } = await killMidCopy(`deleted/${NAME}/rootfs`, `${NAME}/rootfs`);
    expect(await imageKeys()).toContain(`deleted/${NAME}/rootfs`);

    await restartAndSettle(op.id);
    expect(await imageKeys()).toEqual(ORIGINAL);
    await expectRootfsAt(`${NAME}/rootfs`);
    const live = (await svc!.call("GET", `/v3/images/${imageId}`)).body;
    expect(live.link.path).toBe(`s3://boot-images/${NAME}/manifest.json`);
    expect((await svc!.call("GET", `/v3/deleted/images/${imageId}`)).status).toBe(404);
    expect((await s3.uploads("boot-images")).map((u) => u.id).sort()).toEqual(leftOver().sort());
  }, 180_000);
}
