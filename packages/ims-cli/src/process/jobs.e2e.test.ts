/**
 * Jobs through the real process: main.ts reads KUBECONFIG (an HTTPS FakeKube with a private CA
 * and a client certificate), runs on a temp SQLite file and a temp artifact directory, creates a
 * create job and a customize job over HTTP, watches Kubernetes Jobs, and deletes it all again.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeKube, makeTestPki, writeKubeconfig, type TestPki } from "@ims/core/test-support";
import { NO_OBJECTS, NS, kubeObjects, objectsOf, placeArtifact, placeImage, seedSigningKey } from "@ims/http/test-support";
import { startService, type ServiceProcess } from "../test-support/processes.ts";
import { call as callService } from "../test-support/workload.ts";

const dir = mkdtempSync(join(tmpdir(), "ims-jobs-main-"));
const artifactsDir = join(dir, "artifacts");
let pki: TestPki;
let kube: FakeKube;
let service: ServiceProcess;

beforeAll(async () => {
  pki = await makeTestPki();
  kube = new FakeKube({ tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.ca } });
  seedSigningKey(kube);
  const { path } = writeKubeconfig(dir, { server: kube.url, ca: pki.ca, clientCert: pki.clientCert, clientKey: pki.clientKey });
  placeArtifact(artifactsDir, "s3://ims/recipes/e2e/recipe.tar.gz", "a recipe archive");
  placeImage(artifactsDir, "e2e");
  service = await startService({
    KUBECONFIG: path,
    IMS_KUBERNETES: "auto",
    DATABASE_URL: `sqlite:${join(dir, "ims.sqlite")}`,
    IMS_ARTIFACTS_DIR: artifactsDir,
    LOG_LEVEL: "info",
  });
});

afterAll(async () => {
  await service?.stop();
  kube?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

const call = (method: string, path: string, body?: unknown) => callService(service.base, method, path, body);

/** The list API over mutual TLS, as the service itself talks to it. */
const objects = () => kubeObjects(kube, NS, { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } } as RequestInit);

async function until(what: string, ok: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${service.output()}`);
    await Bun.sleep(25);
  }
}

describe("jobs through main.ts with KUBECONFIG", () => {
  test("logs the cluster, creates both kinds of job, follows a failed Job, deletes everything", async () => {
    const started = service.output().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(started.find((l) => l.msg === "kubernetes cluster for jobs")).toMatchObject({ mode: "kubeconfig", job_namespace: NS, template_dir: "built-in" });
    await until("the job watch", async () => kube.openWatches > 0);

    const key = (await call("POST", "/v3/public-keys", { name: "me", public_key: "ssh-ed25519 AAAA me@host" })).body.id;
    const recipe = await call("POST", "/v3/recipes", {
      name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/e2e/recipe.tar.gz", type: "s3" },
    });
    expect(recipe.status).toBe(201);
    const image = await call("POST", "/v3/images", { name: "img", link: { path: "s3://boot-images/e2e/manifest.json", type: "s3" } });
    expect(image.status).toBe(201);

    const build = await call("POST", "/v3/jobs", { job_type: "create", artifact_id: recipe.body.id, public_key_id: key, image_root_archive_name: "out" });
    expect(build.status).toBe(201);
    expect(build.body).toMatchObject({ status: "creating", kubernetes_job: `cray-ims-${build.body.id}-create`, kubernetes_namespace: NS });
    const custom = await call("POST", "/jobs", { job_type: "customize", artifact_id: image.body.id, public_key_id: key, image_root_archive_name: "out" });
    expect(custom.status).toBe(201);
    expect(custom.body.ssh_containers[0]).toMatchObject({ name: "customize", status: "pending" });

    const both = [objectsOf(build.body.id, "create"), objectsOf(custom.body.id, "customize")];
    const union = Object.fromEntries(Object.keys(NO_OBJECTS).map((p) => [p, both.flatMap((o) => o[p as keyof typeof o]).sort()]));
    expect(await objects()).toEqual(union as typeof NO_OBJECTS);
    // The Job the service sent carries the presigned rootfs URL of our artifact directory.
    const pod = kube.get("jobs", NS, custom.body.kubernetes_job)!.spec.template.spec;
    expect(JSON.stringify(pod)).toContain(join(artifactsDir, "boot-images/e2e/rootfs"));

    // The Job controller gives up on the build: the watcher moves the record to error.
    kube.setJobStatus(NS, build.body.kubernetes_job, { failed: 1 });
    await until("the failed job to be marked error", async () => (await call("GET", `/v2/jobs/${build.body.id}`)).body.status === "error");
    expect(kube.get("services", NS, build.body.kubernetes_service)).toBeUndefined();

    expect((await call("DELETE", `/v3/jobs/${custom.body.id}`)).status).toBe(204);
    expect((await call("DELETE", "/v2/jobs?status=error")).status).toBe(204);
    expect((await call("GET", "/v3/jobs")).body).toEqual([]);
    expect(await objects()).toEqual(NO_OBJECTS);
    // Every request reached the API server over TLS with our client certificate (mutual TLS refuses others).
    expect(kube.requests.filter((r) => r.method === "POST").length).toBe(12);
  }, 30_000);

  test("SIGTERM ends the watch and the process stops cleanly", async () => {
    await service.stop();
    expect(service.output()).toContain('"msg":"stopped"');
    await until("the watch to close", async () => kube.openWatches === 0);
  }, 30_000);
});
