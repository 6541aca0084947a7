/** Job creation end to end: core + memory store + local artifacts + real templates + real Kubernetes adapter. */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLocalArtifacts } from "../../adapters/local-artifacts/index.ts";
import type { ArtifactStore } from "../ports.ts";
import { JOB } from "../texts.ts";
import { failure, NS, openJobsHarness, PLURALS, type HarnessOptions, type JobsHarness } from "./harness.test.ts";

let h: JobsHarness;
afterEach(() => h?.cleanup());
const open = async (o?: HarnessOptions) => (h = await openJobsHarness(o));
const body = (artifact_id: string, over: Record<string, unknown> = {}) => ({
  job_type: "create",
  artifact_id,
  public_key_id: h.keyId,
  image_root_archive_name: "my-image",
  ...over,
});
const env = (job: any, container: string) =>
  Object.fromEntries(
    [...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers]
      .find((c: any) => c.name === container)
      .env.filter((e: any) => "value" in e)
      .map((e: any) => [e.name, e.value]),
  );

describe("create", () => {
  test("a kiwi-ng create job: record fields and the six objects in namespace ims", async () => {
    await open();
    const recipeId = await h.recipe({ require_dkms: false });
    const { data: job, version } = await h.f.ims.jobs.create(body(recipeId));
    const id = job.id;
    expect(version).toBe(1);
    expect(job).toEqual({
      id,
      created: "2024-06-01T12:00:00",
      job_type: "create",
      artifact_id: recipeId,
      public_key_id: h.keyId,
      image_root_archive_name: "my-image",
      enable_debug: false,
      build_env_size: 60,
      job_mem_size: 8,
      kernel_file_name: "vmlinuz",
      initrd_file_name: "initrd",
      kernel_parameters_file_name: "kernel-parameters",
      ssh_containers: null,
      require_dkms: false,
      status: "creating",
      resultant_image_id: null,
      arch: "x86_64",
      remote_build_node: "",
      kubernetes_job: `cray-ims-${id}-create`,
      kubernetes_service: `cray-ims-${id}-service`,
      kubernetes_configmap: `cray-ims-${id}-configmap`,
      kubernetes_pvc: `cray-ims-${id}-job-claim`,
      kubernetes_secret: `cray-ims-${id}-signing-keys`,
      kubernetes_namespace: NS,
    });
    expect((await h.f.ims.jobs.get(id)).data).toEqual(job);
    // Created in order: ConfigMap, Service, Job, PVC, DestinationRule, then the Secret copy.
    const posts = h.kube.requests.filter((r) => r.method === "POST").map((r) => r.path.split("/").at(-1));
    expect(posts).toEqual(["configmaps", "services", "jobs", "persistentvolumeclaims", "destinationrules", "secrets"]);
    expect(await h.names("configmaps")).toEqual([job.kubernetes_configmap!]);
    expect(await h.names("services")).toEqual([job.kubernetes_service!]);
    expect(await h.names("jobs")).toEqual([job.kubernetes_job!]);
    expect(await h.names("persistentvolumeclaims")).toEqual([job.kubernetes_pvc!]);
    expect(await h.names("destinationrules")).toEqual([job.kubernetes_service!]);
    expect(await h.names("secrets")).toEqual([job.kubernetes_secret!]);

    const cm = h.kube.get("configmaps", NS, job.kubernetes_configmap!)!;
    expect(cm.data).toMatchObject({ public_key: "ssh-ed25519 AAAAC3Nz me@host", template_dictionary: '{"CSM_RELEASE_VERSION": "1.6.0"}' });
    const svc = h.kube.get("services", NS, job.kubernetes_service!)!;
    expect(svc.metadata.annotations).toMatchObject({
      "external-dns.alpha.kubernetes.io/hostname": `${id}.ims.cmn.shasta.local`,
      "metallb.universe.tf/address-pool": "customer-management",
    });
    const k8sJob = h.kube.get("jobs", NS, job.kubernetes_job!)!;
    expect(k8sJob.spec.template.spec.runtimeClassName).toBeUndefined(); // no DKMS: cluster default
    expect(env(k8sJob, "build-image")).toMatchObject({ IMS_JOB_ID: id, JOB_ENABLE_DKMS: "False", BUILD_ARCH: "x86_64", REMOTE_BUILD_NODE: "" });
    const pvc = h.kube.get("persistentvolumeclaims", NS, job.kubernetes_pvc!)!;
    expect(pvc.spec.resources.requests.storage).toBe("300Gi");
    expect(h.kube.get("secrets", NS, job.kubernetes_secret!)!.data).toEqual({ "private.key": btoa("k") });
  });

  test("debug create job gets a debug container with connection info; DKMS from the recipe", async () => {
    await open();
    const { data: job } = await h.f.ims.jobs.create(body(await h.recipe(), { enable_debug: true, build_env_size: "10" }));
    expect(job.ssh_containers).toEqual([
      {
        name: "debug",
        jail: false,
        status: "pending",
        connection_info: {
          "cluster.local": { host: `cray-ims-${job.id}-service.ims.svc.cluster.local`, port: 22 },
          customer_access: { host: `${job.id}.ims.cmn.shasta.local`, port: 22 },
        },
      },
    ]);
    expect([job.require_dkms, job.build_env_size]).toEqual([true, 10]);
    const spec = h.kube.get("jobs", NS, job.kubernetes_job!)!.spec.template.spec;
    expect([spec.runtimeClassName, spec.serviceAccountName]).toEqual(["kata-qemu", "ims-service-job-mount"]);
    expect(h.kube.get("persistentvolumeclaims", NS, job.kubernetes_pvc!)!.spec.resources.requests.storage).toBe("50Gi");
  });

  test("aarch64 packer recipe: Image kernel, DKMS forced, aarch64 runtime", async () => {
    await open({ jobs: { aarch64Runtime: "kata-arm" } });
    const { data: job } = await h.f.ims.jobs.create(body(await h.recipe({ arch: "aarch64", recipe_type: "packer" }), { require_dkms: false, kernel_file_name: "" }));
    expect([job.arch, job.kernel_file_name, job.require_dkms]).toEqual(["aarch64", "Image", true]);
    expect(h.kube.get("jobs", NS, job.kubernetes_job!)!.spec.template.spec.runtimeClassName).toBe("kata-arm");
  });

  test("customize: default container, rootfs URL and manifest md5 handed to the job", async () => {
    await open();
    const imageId = await h.image();
    const { data: job } = await h.f.ims.jobs.create(body(imageId, { job_type: "customize", initrd_file_name: "initrd.img" }));
    expect(job).toMatchObject({ job_type: "customize", kubernetes_job: `cray-ims-${job.id}-customize`, initrd_file_name: "initrd.img", require_dkms: true });
    expect(job.ssh_containers?.map((c) => [c.name, c.jail, c.status])).toEqual([["customize", false, "pending"]]);
    const k8sJob = h.kube.get("jobs", NS, job.kubernetes_job!)!;
    const prepare = env(k8sJob, "prepare");
    expect(prepare.DOWNLOAD_MD5SUM).toBe("m1");
    expect(env(k8sJob, "buildenv-sidecar").IMS_ACTION).toBe("customize");
    expect(JSON.stringify(k8sJob)).toContain("file://"); // the local store's presigned URL
    expect(JSON.stringify(k8sJob)).toContain("rootfs");
  });

  test("md5 from S3 metadata wins (recipe archive and rootfs); a manifest mismatch is logged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ims-md5-"));
    const local = await openLocalArtifacts({ dir });
    // The local store keeps no user metadata: add what S3 would report.
    const artifacts: ArtifactStore = {
      ...local,
      async head(ref) {
        const found = await local.head(ref);
        return found && /(rootfs|recipe\.tar\.gz)$/.test(ref.key) ? { ...found, metadata: { md5sum: `s3-${ref.key.split("/").at(-1)}` } } : found;
      },
    };
    try {
      await open({ artifacts });
      const created = (await h.f.ims.jobs.create(body(await h.recipe()))).data;
      expect(env(h.kube.get("jobs", NS, created.kubernetes_job!), "fetch-recipe").DOWNLOAD_MD5SUM).toBe("s3-recipe.tar.gz");
      const customized = (await h.f.ims.jobs.create(body(await h.image(), { job_type: "customize" }))).data;
      expect(env(h.kube.get("jobs", NS, customized.kubernetes_job!), "prepare").DOWNLOAD_MD5SUM).toBe("s3-rootfs");
      expect(h.logs.some((l) => l.level === "warn" && l.msg.includes("differs from the manifest"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("without the signing key Secret the job runs without it (kubernetes_secret null)", async () => {
    await open({ signingKey: false });
    const { data: job, version } = await h.f.ims.jobs.create(body(await h.recipe()));
    expect(job.kubernetes_secret).toBeNull();
    expect(version).toBe(2);
    expect((await h.f.ims.jobs.get(job.id)).data.kubernetes_secret).toBeNull();
    expect(h.logs.some((l) => l.level === "warn" && l.msg.includes("signing key"))).toBe(true);
  });
});

describe("refusals write nothing (no record, no object)", () => {
  const nothingWritten = async () => {
    expect(await h.jobs()).toEqual([]);
    expect(h.posts()).toBe(0);
  };

  test("400 / 422 in the order of api.md §7.1", async () => {
    await open();
    const recipeId = await h.recipe();
    const unlinked = await h.recipe({ link: false });
    const missingArchive = await h.recipe();
    const recipe = (await h.f.ims.recipes.get(missingArchive)).data;
    await h.f.artifacts.remove({ bucket: "ims", key: recipe.link!.path.replace("s3://ims/", "") });
    const noRootfs = await h.image();
    // The manifest changed in S3 after the image was registered.
    const manifestPath = (await h.f.ims.images.get(noRootfs)).data.link!.path;
    await h.f.put(manifestPath, JSON.stringify({ version: "1.0", artifacts: [] }));
    const other = "11111111-2222-4333-8444-555555555555";
    const cases: [string, unknown, string][] = [
      ["empty body", {}, "missing_input"],
      ["schema", body(recipeId, { job_type: "rebuild" }), "validation"],
      ["read-only field", body(recipeId, { status: "creating" }), "validation"],
      ["create with ssh containers", body(recipeId, { ssh_containers: [{ name: "x" }] }), "bad_request"],
      ["two containers", body(await h.image(), { job_type: "customize", ssh_containers: [{ name: "a" }, { name: "b" }] }), "bad_request"],
      ["missing recipe", body(other), "bad_request"],
      ["missing image", body(other, { job_type: "customize" }), "bad_request"],
      ["recipe without link", body(unlinked), "bad_request"],
      ["archive gone from S3", body(missingArchive), "validation"],
      ["manifest without rootfs", body(noRootfs, { job_type: "customize" }), "bad_request"],
      ["missing public key", body(recipeId, { public_key_id: other }), "bad_request"],
      ["value the templates refuse", body(recipeId, { image_root_archive_name: "bad\uD800" }), "bad_request"],
    ];
    for (const [what, b, kind] of cases) {
      const e = await failure(h.f.ims.jobs.create(b));
      expect([what, e.kind]).toEqual([what, kind]);
    }
    // When several things are wrong, the earlier check answers.
    const first = async (b: unknown) => (await failure(h.f.ims.jobs.create(b))).detail;
    expect(await first(body(other, { ssh_containers: [{ name: "x" }], public_key_id: other }))).toBe(JOB.sshOnCreate);
    expect(await first(body(other, { public_key_id: other }))).toBe(JOB.noArtifact("recipe", other));
    expect(await first(body(missingArchive, { public_key_id: other }))).toStartWith("The s3 artifact {'path': ");
    await nothingWritten();
  });

  test("503 without a cluster or without templates, after the input checks", async () => {
    await open({ withCluster: false });
    const recipeId = await h.recipe();
    expect((await failure(h.f.ims.jobs.create(body(recipeId, { public_key_id: "11111111-2222-4333-8444-555555555555" })))).kind).toBe("bad_request");
    expect((await failure(h.f.ims.jobs.create(body(recipeId)))).kind).toBe("unavailable");
    await nothingWritten();
    await h.cleanup();
    await open({ withRenderer: false });
    expect((await failure(h.f.ims.jobs.create(body(await h.recipe())))).kind).toBe("unavailable");
    await nothingWritten();
  });

  test("a Kubernetes failure midway removes what was created and the record: 500", async () => {
    await open();
    h.kube.inject({ method: "POST", path: "/persistentvolumeclaims", status: 500, reason: "InternalError", message: "etcd is sad" });
    const e = await failure(h.f.ims.jobs.create(body(await h.recipe())));
    expect(e.kind).toBe("internal");
    expect(e.detail).toBe(JOB.createFailed("pvc")); // upstream names the resource; the cause is logged
    expect(await h.jobs()).toEqual([]);
    for (const plural of PLURALS) expect([plural, await h.names(plural)]).toEqual([plural, []]);
  });
});
