/**
 * The dry run of a job creation: what it answers is what a create then does (the same record,
 * the same objects sent to the cluster), it refuses exactly what a create refuses, and it leaves
 * everything as it was: no record, no reservation, no request to Kubernetes.
 */
import { afterEach, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { builtinTemplate, createJobRenderer, templateRelativePath } from "@ims/templates";
import { COLLECTIONS } from "../records.ts";
import { initialStatus, type NodeProbe } from "../remote-nodes/probe.ts";
import { failure, openJobsHarness, type HarnessOptions, type JobsHarness } from "./harness.test.ts";

let h: JobsHarness;
/** Once set, every new id is this one: a dry run and the create after it name the same job. */
let pinned: string | undefined;
afterEach(async () => {
  pinned = undefined;
  await h?.cleanup();
});
const ID = "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";
const open = async (o?: HarnessOptions) => (h = await openJobsHarness({ ids: { uuid: () => pinned ?? crypto.randomUUID() }, ...o }));
const body = (artifact_id: string, over: Record<string, unknown> = {}) => ({
  job_type: "create", artifact_id, public_key_id: h.keyId, image_root_archive_name: "my-image", ...over,
});
const snapshot = async () => JSON.stringify(await Promise.all(COLLECTIONS.map((c) => h.f.store.list(c))));

test("shows the record a create then writes and the objects it then sends, in creation order; writes nothing", async () => {
  await open();
  const b = body(await h.image(), { job_type: "customize", ssh_containers: [{ name: "c", jail: true }] });
  pinned = ID;
  const before = await snapshot();
  const dry = await h.f.ims.jobs.dryRun(b);
  expect(await snapshot()).toBe(before);
  expect(h.kube.requests).toEqual([]);
  expect(dry.warnings).toEqual([]);
  expect(dry.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
    `ConfigMap/cray-ims-${ID}-configmap`, `Service/cray-ims-${ID}-service`, `Job/cray-ims-${ID}-customize`,
    `PersistentVolumeClaim/cray-ims-${ID}-job-claim`, `DestinationRule/cray-ims-${ID}-service`,
  ]);

  const created = await h.f.ims.jobs.create(b);
  expect(dry.job).toEqual(created.data);
  const sent = h.kube.requests.filter((r) => r.method === "POST" && !r.path.endsWith("/secrets")).map((r) => r.body);
  expect(sent).toEqual(JSON.parse(JSON.stringify(dry.objects)));
});

test("works with no cluster configured; without templates it is the create's 503", async () => {
  await open({ withCluster: false });
  const b = body(await h.recipe());
  pinned = ID;
  const dry = await h.f.ims.jobs.dryRun(b);
  expect(dry.job).toMatchObject({ id: ID, status: "creating", kubernetes_job: `cray-ims-${ID}-create` });
  expect((await failure(h.f.ims.jobs.create(b))).kind).toBe("unavailable");
  await h.cleanup();
  await open({ withRenderer: false });
  expect((await failure(h.f.ims.jobs.dryRun(body(await h.recipe())))).kind).toBe("unavailable");
});

test("refuses what a create refuses, with the same error, checks in the same order", async () => {
  await open();
  const recipeId = await h.recipe();
  const missingArchive = await h.recipe();
  const recipe = (await h.f.ims.recipes.get(missingArchive)).data;
  await h.f.artifacts.remove({ bucket: "ims", key: recipe.link!.path.replace("s3://ims/", "") });
  const other = "11111111-2222-4333-8444-555555555555";
  const cases: unknown[] = [
    undefined, {}, [], body(recipeId, { job_type: "rebuild", build_env_size: 0 }), body(recipeId, { status: "creating" }),
    body(recipeId, { ssh_containers: [{ name: "x" }] }), body(other), body(other, { job_type: "customize" }),
    body(await h.recipe({ link: false })), body(missingArchive), body(recipeId, { public_key_id: other }),
    body(recipeId, { image_root_archive_name: "bad\uD800" }),
    // Several things wrong: the earlier check answers.
    body(other, { ssh_containers: [{ name: "x" }], public_key_id: other }), body(missingArchive, { public_key_id: other }),
  ];
  const before = await snapshot();
  for (const b of cases) {
    const [real, dry] = [await failure(h.f.ims.jobs.create(b)), await failure(h.f.ims.jobs.dryRun(b))];
    expect({ kind: dry.kind, detail: dry.detail, errors: dry.errors }).toEqual({ kind: real.kind, detail: real.detail, errors: real.errors });
  }
  expect(await snapshot()).toBe(before);
  expect(h.posts()).toBe(0);
});

/** Every node idle and eligible. */
const idleProbe: NodeProbe = {
  probe: async (xname) => ({ ...initialStatus(xname), sshStatus: "ok", podmanStatus: "ok", nodeArch: "x86_64", numCurrentJobs: 0, ableToRunJobs: true }),
};

test("names the remote build node a create would choose now, without reserving it", async () => {
  await open({ probe: idleProbe });
  for (const xname of ["x3000c0s1b0n0", "x3000c0s2b0n0"]) await h.f.ims.remoteBuildNodes.create({ xname });
  const b = body(await h.recipe());
  expect((await h.f.ims.jobs.create(b)).data.remote_build_node).toBe("x3000c0s1b0n0");
  const first = await h.f.ims.jobs.dryRun(b);
  const second = await h.f.ims.jobs.dryRun(b);
  expect([first.job.remote_build_node, second.job.remote_build_node]).toEqual(["x3000c0s2b0n0", "x3000c0s2b0n0"]);
  expect(first.job.id).not.toBe(second.job.id);
  expect((await h.f.ims.jobs.create(b)).data.remote_build_node).toBe("x3000c0s2b0n0");
});

/** An operator directory whose customize Job template was edited with `edit`. */
function operatorJobTemplate(edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "ims-dry-run-"));
  const rel = templateRelativePath("customize", "job");
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), edit(builtinTemplate("customize", "job")));
  return dir;
}

test("an operator template Kubernetes would refuse is a 500 naming object and field; a misspelt field a warning", async () => {
  const broken = operatorJobTemplate((t) => t.replace(/backoffLimit: \d+/, 'backoffLimit: "often"'));
  const typo = operatorJobTemplate((t) => t.replace("restartPolicy:", "restartPolicyy:"));
  try {
    expect(readFileSync(join(broken, templateRelativePath("customize", "job")), "utf8")).toContain('backoffLimit: "often"');
    await open({ renderer: createJobRenderer({ templateDir: broken }) });
    const image = await h.image();
    pinned = ID;
    const e = await failure(h.f.ims.jobs.dryRun(body(image, { job_type: "customize" })));
    expect(e.kind).toBe("internal");
    expect(e.errors).toEqual({ [`Job/cray-ims-${ID}-customize`]: ["spec.backoffLimit: must be integer"] });
    await h.cleanup();

    pinned = undefined;
    await open({ renderer: createJobRenderer({ templateDir: typo }) });
    const customize = body(await h.image(), { job_type: "customize" });
    pinned = ID;
    const dry = await h.f.ims.jobs.dryRun(customize);
    expect(dry.warnings).toEqual([`Job/cray-ims-${ID}-customize: spec.template.spec.restartPolicyy is not a field Kubernetes knows; it would be dropped`]);
  } finally {
    rmSync(broken, { recursive: true, force: true });
    rmSync(typo, { recursive: true, force: true });
  }
});
