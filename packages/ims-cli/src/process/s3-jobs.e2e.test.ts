/**
 * Jobs on real S3 servers (s3rver and Ceph RGW) through the real process: the job pods get a
 * presigned URL of the recipe archive (create) or of the image's rootfs (customize) and its md5
 * from the object's `md5sum` metadata, as upstream; the URL downloads the object without
 * credentials and stops working once tampered with. On RGW the recipe archive is uploaded by
 * the STS user, as `cray artifacts create` does.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeKube, writeKubeconfig } from "@ims/core/test-support";
import { NS, seedSigningKey } from "@ims/http/test-support";
import { ROOTFS, manifestOf, openTestS3, put, s3Flavours, serviceEnv, startService, type S3Flavour, type Service, type TestS3 } from "../test-support/s3-service.ts";

const md5 = (b: Uint8Array | string) => createHash("md5").update(b).digest("hex");

for (const flavour of s3Flavours()) describe(`on ${flavour}`, () => suite(flavour));

function suite(flavour: S3Flavour) {
  const dir = mkdtempSync(join(tmpdir(), "ims-s3-jobs-"));
  let s3: TestS3;
  let kube: FakeKube;
  let svc: Service;

  beforeAll(async () => {
    s3 = await openTestS3(flavour, ["ims", "boot-images"]);
    kube = new FakeKube();
    seedSigningKey(kube);
    const { path } = writeKubeconfig(dir, { server: kube.url });
    svc = await startService(serviceEnv(s3, dir, { KUBECONFIG: path, IMS_KUBERNETES: "auto" }));
  });
  afterAll(async () => {
    await svc?.stop();
    kube?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The URL and md5 the service gave the Job's first init container. */
  function download(jobName: string) {
    const pod = kube.get("jobs", NS, jobName)!.spec.template.spec;
    const init = pod.initContainers[0];
    return { url: init.command.at(-1) as string, md5: init.env.find((e: { name: string }) => e.name === "DOWNLOAD_MD5SUM").value as string };
  }

  async function expectPresigned(url: string, body: Uint8Array | string) {
    const u = new URL(url);
    expect(`${u.protocol}//${u.host}`).toBe(s3.endpoint);
    expect(u.searchParams.get("X-Amz-Expires")).toBe("432000"); // S3_URL_EXPIRATION's default: 5 days
    const res = await fetch(url); // no credentials: the signature is the permission
    expect(res.status).toBe(200);
    expect(md5(new Uint8Array(await res.arrayBuffer()))).toBe(md5(body));
    u.searchParams.set("X-Amz-Expires", "432001");
    expect((await fetch(u)).status).toBe(403);
  }

  test("a create job downloads the recipe archive its link names, with the md5 from the object's metadata", async () => {
    const archive = new Uint8Array(randomBytes(200_000));
    // As `cray artifacts create ims recipes/... FILE` uploads it: with the STS credentials, md5sum metadata.
    await s3.client("sts").send(new PutObjectCommand({ Bucket: "ims", Key: "recipes/cos/recipe.tar.gz", Body: archive, Metadata: { md5sum: md5(archive) } }));
    const key = (await svc.call("POST", "/v3/public-keys", { name: "me", public_key: "ssh-ed25519 AAAA me@host" })).body.id;
    const recipe = await svc.call("POST", "/v3/recipes", {
      name: "cos", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/cos/recipe.tar.gz", type: "s3" },
    });
    expect(recipe.status).toBe(201);
    const job = await svc.call("POST", "/v3/jobs", { job_type: "create", artifact_id: recipe.body.id, public_key_id: key, image_root_archive_name: "out" });
    expect(job.status).toBe(201);
    const { url, md5: sum } = download(job.body.kubernetes_job);
    expect(sum).toBe(md5(archive));
    expect(new URL(url).pathname).toBe("/ims/recipes/cos/recipe.tar.gz");
    await expectPresigned(url, archive);
  });

  test("a customize job downloads the image's rootfs", async () => {
    const rootfs = new Uint8Array(randomBytes(300_000));
    await put(s3.client(), "boot-images", "img/rootfs", rootfs, { md5sum: md5(rootfs) });
    await put(s3.client(), "boot-images", "img/manifest.json", manifestOf([{ type: ROOTFS, path: "s3://boot-images/img/rootfs", md5: "not this one" }]));
    const key = (await svc.call("POST", "/v3/public-keys", { name: "me2", public_key: "ssh-ed25519 AAAA me@host" })).body.id;
    const image = await svc.call("POST", "/v3/images", { name: "img", link: { path: "s3://boot-images/img/manifest.json", type: "s3" } });
    expect(image.status).toBe(201);
    const job = await svc.call("POST", "/v3/jobs", { job_type: "customize", artifact_id: image.body.id, public_key_id: key, image_root_archive_name: "out" });
    expect(job.status).toBe(201);
    const { url, md5: sum } = download(job.body.kubernetes_job);
    expect(sum).toBe(md5(rootfs)); // the object's md5sum wins over the manifest's, as upstream
    expect(new URL(url).pathname).toBe("/boot-images/img/rootfs");
    await expectPresigned(url, rootfs);
  });
}
