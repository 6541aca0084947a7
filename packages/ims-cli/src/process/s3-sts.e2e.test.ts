/**
 * Object ownership for real, through the service process on Ceph RGW: what the STS user uploads
 * (a job pod, `cray artifacts create`) is owned by STS. As upstream (helper.py s3_move_artifact),
 * a move copies an object whose ACL owner is "STS" with the STS credentials and everything else
 * with the IMS ones, and removes the original with the IMS ones. RGW shows who made a copy: the
 * copier owns it. A wrong STS key is a clear error in the operation journal, retried, with every
 * object still in place; an object IMS may not read is a 503 problem that changes nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { GetObjectAclCommand, PutBucketPolicyCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ROOTFS, keys, manifestOf, openTestS3, put, s3Flavours, serviceEnv, settled, startService, type Service, type TestS3,
} from "../test-support/s3-service.ts";

const MiB = 1024 * 1024;
const KERNEL = "application/vnd.cray.image.kernel";

describe.skipIf(!s3Flavours().includes("rgw"))("STS ownership on Ceph RGW", () => {
  let s3: TestS3;
  let ims: S3Client;
  let sts: S3Client;
  let dir: string;
  let env: Record<string, string>;
  let svc: Service | undefined;
  const start = async (extra: Record<string, string> = {}) => (svc = await startService({ ...env, ...extra }));
  const stop = async () => (await svc?.stop(), (svc = undefined));
  const ownerOf = async (bucket: string, key: string) => (await ims.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }))).Owner?.ID;
  const owners = async (bucket: string, prefix: string) => {
    const out: Record<string, string | undefined> = {};
    for (const k of await keys(ims, bucket)) if (k.startsWith(prefix)) out[k] = await ownerOf(bucket, k);
    return out;
  };
  const asSts = (bucket: string, key: string, body: string | Uint8Array) =>
    sts.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: { md5sum: "m" } }));
  const newRecipe = async (name: string) => {
    const res = await svc!.call("POST", "/v3/recipes", {
      name, recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: `s3://ims/recipes/${name}.tgz`, type: "s3" },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ims-sts-e2e-"));
    s3 = await openTestS3("rgw", ["ims", "boot-images", "strict"]);
    ims = s3.client();
    sts = s3.client("sts");
    env = serviceEnv(s3, dir, {
      S3_STS_ACCESS_KEY: s3.sts.accessKeyId,
      S3_STS_SECRET_KEY: s3.sts.secretAccessKey,
      // The 12 MiB rootfs below is copied part by part: UploadPartCopy, which only the owner may do.
      S3_MULTIPART_THRESHOLD_BYTES: String(5 * MiB),
      S3_MULTIPART_PART_BYTES: String(5 * MiB),
    });
  });
  afterEach(() => stop()); // also when a test failed halfway
  afterAll(async () => {
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("v3 DELETE and undelete of an image: STS's objects are copied as STS, IMS's as IMS, originals removed", async () => {
    await start();
    await asSts("boot-images", "mixed/rootfs", randomBytes(12 * MiB));
    await put(ims, "boot-images", "mixed/kernel", "kernel");
    await asSts("boot-images", "mixed/manifest.json", manifestOf([
      { type: ROOTFS, path: "s3://boot-images/mixed/rootfs" },
      { type: KERNEL, path: "s3://boot-images/mixed/kernel" },
    ]));
    const created = await svc!.call("POST", "/v3/images", { name: "mixed", link: { path: "s3://boot-images/mixed/manifest.json", type: "s3" } });
    expect(created.status).toBe(201);
    const id = created.body.id;

    expect((await svc!.call("DELETE", `/v3/images/${id}`)).status).toBe(204);
    expect((await settled(svc!)).filter((o) => o.recordId === id).map((o) => [o.state, o.lastError])).toEqual([["done", null]]);
    expect(await owners("boot-images", "deleted/")).toEqual({
      [`deleted/${id}/deleted_manifest.json`]: "IMS", // written by IMS
      "deleted/mixed/kernel": "IMS",
      "deleted/mixed/manifest.json": "STS",
      "deleted/mixed/rootfs": "STS", // three UploadPartCopy calls, as STS
    });
    expect(await owners("boot-images", "mixed/")).toEqual({}); // removed with the IMS credentials

    expect((await svc!.call("PATCH", `/v3/deleted/images/${id}`, { operation: "undelete" })).status).toBe(204);
    await settled(svc!);
    expect(await owners("boot-images", "mixed/")).toEqual({ "mixed/kernel": "IMS", "mixed/manifest.json": "STS", "mixed/rootfs": "STS" });
    await stop();
  });

  test("without STS credentials IMS copies what the bucket policy lets it read, and owns the copies", async () => {
    await start({ S3_STS_ACCESS_KEY: "", S3_STS_SECRET_KEY: "" });
    await asSts("ims", "recipes/nosts.tgz", randomBytes(12 * MiB));
    const id = await newRecipe("nosts");
    expect((await svc!.call("DELETE", `/v3/recipes/${id}`)).status).toBe(204);
    expect((await settled(svc!)).find((o) => o.recordId === id)).toMatchObject({ state: "done", lastError: null });
    // Denied the part copies of STS's object (no ACL grant), IMS copied it in one CopyObject.
    expect(await owners("ims", "deleted/recipes/nosts")).toEqual({ "deleted/recipes/nosts.tgz": "IMS" });
    await stop();
  });

  const failed: { op: any; name: string }[] = [];
  for (const [what, creds, detail] of [
    ["a wrong STS secret", { S3_STS_SECRET_KEY: "wrong" }, "SignatureDoesNotMatch, HTTP 403: the secret key does not belong to the access key"],
    ["an STS access key S3 does not know", { S3_STS_ACCESS_KEY: "NOSUCHKEY" }, "InvalidAccessKeyId, HTTP 403: S3 has no such access key"],
  ] as const) {
    test(`${what}: the journal says so and keeps the move pending; every object stays in place`, async () => {
      const name = what.replace(/\W+/g, "-");
      await start(creds);
      await asSts("ims", `recipes/${name}.tgz`, "archive");
      const id = await newRecipe(name);
      // Planning reads with IMS: fine. respond-async: no waiting for a move that cannot succeed.
      expect((await svc!.call("DELETE", `/v3/recipes/${id}`, undefined, { prefer: "respond-async" })).status).toBe(202);
      let op: any;
      for (let i = 0; i < 200 && !(op?.attempts > 0); i++, await Bun.sleep(25)) {
        [op] = (await svc!.call("GET", `/v3/operations?record_id=${id}&state=pending`)).body;
      }
      expect(op).toMatchObject({ action: "soft delete recipe", state: "pending", nextStep: 0 });
      expect(op.lastError).toBe(`S3 at ${s3.endpoint} refused the STS credentials for "s3://ims/recipes/${name}.tgz": ${detail}`);
      expect(await keys(ims, "ims")).toContain(`recipes/${name}.tgz`); // not an orphan: nothing moved, nothing lost
      expect(await keys(ims, "ims")).not.toContain(`deleted/recipes/${name}.tgz`);
      failed.push({ op, name });
    });
  }

  test("once the STS key is right, the next process finishes those moves, as STS", async () => {
    expect(failed.length).toBe(2);
    await start();
    const ops = await settled(svc!, 30_000);
    for (const { op, name } of failed) {
      const done = ops.find((o) => o.id === op.id);
      expect(done).toMatchObject({ state: "done", nextStep: 2 });
      // The failure stays on record (the last one: the other wrong key may have retried it meanwhile).
      expect(done.lastError).toStartWith(`S3 at ${s3.endpoint} refused the STS credentials for "s3://ims/recipes/${name}.tgz": `);
      expect(await owners("ims", `deleted/recipes/${name}`)).toEqual({ [`deleted/recipes/${name}.tgz`]: "STS" });
      expect(await keys(ims, "ims")).not.toContain(`recipes/${name}.tgz`);
    }
  });

  test("an object IMS may not read (no grant for IMS): a 503 problem that says so, nothing changed", async () => {
    await start();
    // Created while the bucket's policy let IMS read it; then the grant goes.
    await asSts("strict", "recipes/hidden.tgz", "archive");
    await asSts("strict", "recipes/hidden2.tgz", "archive");
    const created = await svc!.call("POST", "/v3/recipes", {
      name: "hidden", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://strict/recipes/hidden.tgz", type: "s3" },
    });
    expect(created.status).toBe(201);
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ["arn:aws:iam:::user/STS"] }, Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::strict/*"] }] };
    await ims.send(new PutBucketPolicyCommand({ Bucket: "strict", Policy: JSON.stringify(policy) }));
    const before = (await svc!.call("GET", "/v3/operations")).body;

    const denied = (name: string) =>
      `S3 at ${s3.endpoint} denied the IMS credentials access to "s3://strict/recipes/${name}.tgz": AccessDenied, HTTP 403: ` +
      "the credentials are valid, but the object's ACL and the bucket policy do not allow this call";
    for (const [method, path, body] of [
      ["DELETE", `/v3/recipes/${created.body.id}`], // upstream logs it and leaves the archive behind, unreferenced
      ["POST", "/v3/recipes", { name: "again", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://strict/recipes/hidden2.tgz", type: "s3" } }],
    ] as const) {
      const res = await svc!.call(method, path, body);
      expect({ status: res.status, type: res.type, detail: res.body.detail }).toEqual({ status: 503, type: "application/problem+json", detail: denied(path === "/v3/recipes" ? "hidden2" : "hidden") });
    }
    expect((await svc!.call("GET", "/v3/recipes")).body.map((r: any) => r.name)).toEqual(["hidden"]);
    expect((await svc!.call("GET", "/v3/operations")).body).toEqual(before);
    await stop();
  });
});
