/**
 * The job routes of every family against the real core, renderer and Kubernetes adapter, with
 * FakeKube as the API server: what a create leaves in the cluster, what PATCH and DELETE take
 * away, and that every refused request writes nothing (no record, no Kubernetes object).
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { JOB, pyDumps } from "@ims/core";
import { NO_OBJECTS, NS, jobsRig, objectsOf, type JobsRig } from "../test-support/jobs.ts";
import type { Reply, SendBody } from "../test-support/send.ts";

const PREFIXES = ["", "/v2", "/v3"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING = "0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a";
const JOB_FIELDS = [
  "arch", "artifact_id", "build_env_size", "created", "enable_debug", "id", "image_root_archive_name", "initrd_file_name",
  "job_mem_size", "job_type", "kernel_file_name", "kernel_parameters_file_name", "kubernetes_configmap", "kubernetes_job",
  "kubernetes_namespace", "kubernetes_pvc", "kubernetes_secret", "kubernetes_service", "public_key_id", "remote_build_node",
  "require_dkms", "resultant_image_id", "ssh_containers", "status",
];

let r: JobsRig;
let keyId: string;
beforeEach(async () => {
  r = await jobsRig();
  keyId = await r.publicKey();
});
afterEach(() => r.close());

const createBody = (over: Record<string, unknown> = {}) => r.createBody(keyId, over);
const customizeBody = async (over: Record<string, unknown> = {}) => ({
  job_type: "customize", artifact_id: await r.image(), public_key_id: keyId, image_root_archive_name: "custom", ...over,
});

async function created(p: string, body: unknown): Promise<Reply> {
  const res = await r.call("POST", `${p}/jobs`, body);
  expect({ status: res.status, detail: res.body?.detail }).toEqual({ status: 201, detail: undefined });
  return res;
}

function expect204(res: Reply) {
  expect(res.status).toBe(204);
  expect(res.text).toBe("");
}

describe.each(PREFIXES)("jobs at '%s'", (p) => {
  test("create job from a kiwi-ng recipe: 201 record, objects in the cluster", async () => {
    const body = await createBody();
    const res = await created(p, body);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("etag")).toBe('"1"');
    const job = res.body;
    expect(Object.keys(job).sort()).toEqual(JOB_FIELDS);
    expect(job.id).toMatch(UUID);
    expect(job).toMatchObject({
      job_type: "create", artifact_id: body.artifact_id, public_key_id: keyId, image_root_archive_name: "my-image",
      enable_debug: false, build_env_size: 60, job_mem_size: 8, kernel_file_name: "vmlinuz", initrd_file_name: "initrd",
      kernel_parameters_file_name: "kernel-parameters", ssh_containers: null, require_dkms: true, status: "creating",
      resultant_image_id: null, arch: "x86_64", remote_build_node: "", kubernetes_namespace: NS,
      kubernetes_configmap: `cray-ims-${job.id}-configmap`, kubernetes_service: `cray-ims-${job.id}-service`,
      kubernetes_job: `cray-ims-${job.id}-create`, kubernetes_pvc: `cray-ims-${job.id}-job-claim`,
      kubernetes_secret: `cray-ims-${job.id}-signing-keys`,
    });
    expect(job.created).toBe("2024-06-01T12:00:00");
    expect(await r.objects()).toEqual(objectsOf(job.id, "create"));
    // The ConfigMap carries the key and the recipe's template dictionary.
    const data = r.kube.get("configmaps", NS, job.kubernetes_configmap)!.data;
    expect(data.public_key).toBe("ssh-ed25519 AAAAC3Nz me@host");
    expect(JSON.parse(data.template_dictionary)).toEqual({ K: "V" });

    const got = await r.call("GET", `${p}/jobs/${job.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(job);
    expect(got.headers.get("etag")).toBe('"1"');
    expect((await r.call("GET", `${p}/jobs`)).body).toEqual([job]);
  });

  test("customize job from an image manifest: ssh container with connection info; a float size is truncated as int() does", async () => {
    const body = await customizeBody({ ssh_containers: [{ name: "c", jail: true }], build_env_size: 10.9 });
    const job = (await created(p, body)).body;
    expect(job).toMatchObject({
      job_type: "customize", artifact_id: body.artifact_id, build_env_size: 10, kubernetes_job: `cray-ims-${job.id}-customize`,
      status: "creating", arch: "x86_64",
    });
    expect(job.ssh_containers).toEqual([
      {
        name: "c", jail: true, status: "pending",
        connection_info: {
          customer_access: { host: `${job.id}.ims.cmn.shasta.local`, port: 22 },
          "cluster.local": { host: `cray-ims-${job.id}-service.${NS}.svc.cluster.local`, port: 22 },
        },
      },
    ]);
    expect(await r.objects()).toEqual(objectsOf(job.id, "customize"));
    expect(r.kube.get("persistentvolumeclaims", NS, job.kubernetes_pvc)!.spec.resources.requests.storage).toBe("50Gi");
  });

  test("the 201 is json.dumps in upstream's field order (marshmallow's), the GET jsonify's sorted keys", async () => {
    const res = await created(p, await customizeBody({ ssh_containers: [{ jail: "t" }] }));
    expect(Object.keys(JSON.parse(res.text))).toEqual([
      "artifact_id", "public_key_id", "job_type", "image_root_archive_name", "enable_debug", "build_env_size",
      "kernel_file_name", "initrd_file_name", "kernel_parameters_file_name", "ssh_containers", "require_dkms",
      "job_mem_size", "id", "created", "kubernetes_job", "kubernetes_service", "kubernetes_configmap",
      "kubernetes_namespace", "status", "resultant_image_id", "arch", "kubernetes_pvc", "remote_build_node",
      "kubernetes_secret",
    ]);
    expect(res.text).toContain(`"ssh_containers": [{"jail": true, "status": "pending", "connection_info": {"customer_access": {"host": `);
    const got = await r.call("GET", `${p}/jobs/${res.body.id}`);
    expect(Object.keys(JSON.parse(got.text))).toEqual(Object.keys(res.body).sort());
    expect(got.text).toContain(`"ssh_containers":[{"connection_info":{"cluster.local":{"host":`);
  });

  test.each(["success", "error"])("PATCH status %s releases Service, PVC and DestinationRule; Job and ConfigMap stay", async (status) => {
    const job = (await created(p, await customizeBody())).body;
    const step = await r.call("PATCH", `${p}/jobs/${job.id}`, { status: "building_image" });
    expect(step.status).toBe(200);
    expect(step.headers.get("etag")).toBe('"2"');
    expect(await r.objects()).toEqual(objectsOf(job.id, "customize"));

    const done = await r.call("PATCH", `${p}/jobs/${job.id}`, { status, resultant_image_id: MISSING.toUpperCase() }, { "content-type": "application/json", "if-match": '"2"' });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ ...job, status, resultant_image_id: MISSING });
    expect(await r.objects()).toEqual({
      ...NO_OBJECTS,
      configmaps: [job.kubernetes_configmap],
      jobs: [job.kubernetes_job],
      secrets: [job.kubernetes_secret],
    });
  });

  test("PATCH: 404, 400 empty, 422 field errors, 412 stale", async () => {
    expect((await r.call("PATCH", `${p}/jobs/${MISSING}`, { status: "error" })).status).toBe(404);
    const job = (await created(p, await createBody())).body;
    expect((await r.call("PATCH", `${p}/jobs/${job.id}`, {})).status).toBe(400);
    const bad = await r.call("PATCH", `${p}/jobs/${job.id}`, { status: "done", arch: "aarch64" });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(["arch", "status"]);
    expect(bad.body.errors.arch).toEqual(["Unknown field."]);
    const stale = await r.call("PATCH", `${p}/jobs/${job.id}`, { status: "error" }, { "content-type": "application/json", "if-match": '"7"' });
    expect(stale.status).toBe(412);
    expect((await r.call("GET", `${p}/jobs/${job.id}`)).body).toEqual(job);
    expect(await r.objects()).toEqual(objectsOf(job.id, "create"));
  });

  test("DELETE one job removes every object and the record", async () => {
    const job = (await created(p, await customizeBody())).body;
    expect((await r.call("DELETE", `${p}/jobs/${job.id}`, undefined, { "if-match": '"2"' })).status).toBe(412);
    expect204(await r.call("DELETE", `${p}/jobs/${job.id}`));
    expect(await r.objects()).toEqual(NO_OBJECTS);
    const gone = await r.call("GET", `${p}/jobs/${job.id}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("content-type")).toBe("application/problem+json");
    expect((await r.call("DELETE", `${p}/jobs/${job.id}`)).status).toBe(404);
  });

  test("DELETE the collection with status, job_type and age filters", async () => {
    const old = (await created(p, await createBody())).body;
    r.clock.ms += 2 * 24 * 3600_000; // two days later
    const failed = (await created(p, await createBody())).body;
    const custom = (await created(p, await customizeBody())).body;
    await r.call("PATCH", `${p}/jobs/${failed.id}`, { status: "error" });
    const ids = async () => ((await r.call("GET", `${p}/jobs`)).body as { id: string }[]).map((j) => j.id).sort();

    // Upstream puts the message in the title, with no detail.
    for (const [query, title] of [
      ["status=bogus", JOB.badStatus("bogus")], ["status=error&status=NOPE", JOB.badStatus("nope")],
      ["job_type=build", JOB.badJobType("build")], ["job_type=Create", JOB.badJobType("Create")],
    ]) {
      const res = await r.call("DELETE", `${p}/jobs?${query}`);
      expect({ query, status: res.status, body: res.text }).toEqual({ query, status: 400, body: pyDumps({ status: 400, title }) });
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect204(await r.call("DELETE", `${p}/jobs?job_type=&status=success`)); // an empty job_type is no filter
    // Ours: each would have matched every job at upstream (an age without a unit is 0; a misspelt
    // filter is ignored). Refused, with upstream's sentence shape, and nothing deleted.
    for (const [query, title] of [
      ["age=bogus", JOB.ageWithoutUnit("bogus")], ["age=", JOB.ageWithoutUnit("")], ["age=5", JOB.ageWithoutUnit("5")],
      ["staus=error", "Unsupported query parameter staus: deleting jobs accepts only status, job_type and age. Determine the specific information that is missing or invalid and then re-run the request with valid information."],
      ["age=1d&Status=error", "Unsupported query parameter Status: deleting jobs accepts only status, job_type and age. Determine the specific information that is missing or invalid and then re-run the request with valid information."],
    ]) {
      const res = await r.call("DELETE", `${p}/jobs?${query}`);
      expect({ query, status: res.status, body: res.text }).toEqual({ query, status: 400, body: pyDumps({ status: 400, title }) });
    }
    expect(await ids()).toEqual([old.id, failed.id, custom.id].sort());

    expect204(await r.call("DELETE", `${p}/jobs?status=ERROR&status=success`));
    expect(await ids()).toEqual([old.id, custom.id].sort());
    expect204(await r.call("DELETE", `${p}/jobs?job_type=customize&job_type=bogus`)); // first occurrence counts
    expect(await ids()).toEqual([old.id]);
    expect(await r.objects()).toEqual(objectsOf(old.id, "create"));

    const fresh = (await created(p, await createBody())).body;
    expect204(await r.call("DELETE", `${p}/jobs?age=1d&job_type=create`));
    expect(await ids()).toEqual([fresh.id]);
    expect204(await r.call("DELETE", `${p}/jobs`));
    expect(await ids()).toEqual([]);
    expect(await r.objects()).toEqual(NO_OBJECTS);
  });
});

describe.each(PREFIXES)("refused job creates at '%s' write nothing", (p) => {
  /** Sends a create that must fail with `status`; no record and no Kubernetes object may appear. */
  async function refused(status: number, body?: SendBody, headers?: Record<string, string>): Promise<Reply> {
    const before = await r.snapshot();
    const posts = r.posts();
    const res = await r.call("POST", `${p}/jobs`, body, headers);
    expect({ status: res.status, detail: res.body?.detail }).toEqual({ status, detail: expect.any(String) });
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await r.snapshot()).toBe(before);
    expect(r.posts()).toBe(posts);
    expect(await r.objects()).toEqual(NO_OBJECTS);
    return res;
  }

  test("empty body -> 400", async () => {
    for (const raw of ["", "{}", "null", "[]"]) await refused(400, { raw }, { "content-type": "application/json" });
    await refused(415); // no body and no Content-Type, as Flask's get_json
  });

  test("schema -> 422 with field errors", async () => {
    const res = await refused(422, { job_type: "build", artifact_id: "nope", image_root_archive_name: "", status: "success", build_env_size: 0 });
    expect(Object.keys(res.body.errors).sort()).toEqual(["artifact_id", "build_env_size", "image_root_archive_name", "job_type", "public_key_id", "status"]);
    expect(res.body.errors.status).toEqual(["Unknown field."]);
    expect(res.body.errors.public_key_id).toEqual(["Missing data for required field."]);
  });

  test("create job with ssh_containers -> 400; two containers -> 400", async () => {
    await refused(400, await createBody({ ssh_containers: [{ name: "x" }] }));
    await refused(400, await customizeBody({ ssh_containers: [{ name: "a" }, { name: "b" }] }));
  });

  test("unknown recipe or image, artifact without link -> 400", async () => {
    await refused(400, await createBody({ artifact_id: MISSING }));
    await refused(400, await customizeBody({ artifact_id: MISSING }));
    await refused(400, await createBody({ artifact_id: await r.recipe({ link: false }) }));
    await refused(400, await customizeBody({ artifact_id: await r.image({ link: false }) }));
  });

  test("recipe archive gone from the artifact store -> 422", async () => {
    const body = await createBody();
    const recipe = (await r.call("GET", `/v3/recipes/${body.artifact_id}`)).body;
    const [bucket, ...key] = recipe.link.path.replace("s3://", "").split("/");
    await r.artifacts.remove({ bucket, key: key.join("/") });
    await refused(422, body);
  });

  test("Kubernetes refuses an object -> 500; what was created is taken back", async () => {
    const body = await customizeBody();
    const before = await r.snapshot();
    r.kube.inject({ method: "POST", path: "/jobs", status: 403, reason: "Forbidden", message: "jobs.batch is forbidden" });
    const res = await r.call("POST", `${p}/jobs`, body);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.detail).toBe(JOB.createFailed("job"));
    expect(await r.snapshot()).toBe(before);
    expect(await r.objects()).toEqual(NO_OBJECTS);
  });

  test("unknown public key -> 400", async () => {
    await refused(400, await createBody({ public_key_id: MISSING }));
    await refused(400, await customizeBody({ public_key_id: MISSING }));
  });
});

describe("without a Kubernetes cluster", () => {
  test.each(PREFIXES)("'%s': job creation is a 503 problem and writes nothing; reads still work", async (p) => {
    const bare = await jobsRig({ cluster: false });
    try {
      const key = await bare.publicKey();
      const body = { job_type: "create", artifact_id: await bare.recipe(), public_key_id: key, image_root_archive_name: "x" };
      const before = await bare.snapshot();
      const res = await bare.call("POST", `${p}/jobs`, body);
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body).toMatchObject({ status: 503, title: "Service Unavailable", detail: expect.stringContaining("Kubernetes") });
      expect(await bare.snapshot()).toBe(before);
      expect(bare.kube.requests).toEqual([]);
      expect((await bare.call("GET", `${p}/jobs`)).body).toEqual([]);
      expect204(await bare.call("DELETE", `${p}/jobs`));
    } finally {
      await bare.close();
    }
  });
});

describe("OpenAPI", () => {
  test("documents every job route with the core's schemas", async () => {
    const doc = (await r.call("GET", "/openapi.json")).body;
    for (const p of PREFIXES) {
      const base = doc.paths[`${p}/jobs`];
      const item = doc.paths[`${p}/jobs/{job_id}`];
      expect(Object.keys(base).sort()).toEqual(["delete", "get", "post"]);
      expect(Object.keys(item).sort()).toEqual(["delete", "get", "patch"]);
      expect(base.post.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/JobCreate" });
      expect(base.post.responses["201"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Job" });
      expect(base.post.responses["503"]).toBeDefined();
      expect(base.get.responses["200"].content["application/json"].schema).toEqual({ type: "array", items: { $ref: "#/components/schemas/Job" } });
      expect(base.delete.parameters.map((q: { name: string }) => q.name)).toEqual(["status", "job_type", "age"]);
      expect(item.patch.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/JobPatch" });
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Job", "JobCreate", "JobPatch"]));
  });
});
