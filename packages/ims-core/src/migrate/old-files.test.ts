/** Older file names in the upgrade chain, and the load defaults that fill their missing fields. */
import { describe, expect, test } from "bun:test";
import { parseLegacyData } from "./legacy.ts";

const ID = "c3a7c620-5630-4808-97ea-46ab3ba2a60d";
const KEY = "d4b8d731-6741-4919-a8fb-57bc4cb3b71e";
const json = (records: unknown[]) => JSON.stringify(records);

// Shapes as the first releases wrote them: none of the fields added later.
const v2Recipe = { created: "2019-05-01T00:00:00", id: ID, link: null, linux_distribution: "sles15", name: "r", recipe_type: "kiwi-ng" };
const v2Image = { created: "2019-05-01T00:00:00", id: ID, link: null, name: "i" };
const v2Job = {
  artifact_id: ID, build_env_size: 10, created: "2019-05-01T00:00:00", enable_debug: false, id: ID, image_root_archive_name: "x",
  initrd_file_name: "initrd", job_type: "create", kernel_file_name: "vmlinuz", kubernetes_configmap: "cm", kubernetes_job: "job",
  kubernetes_service: "svc", public_key_id: KEY, resultant_image_id: null, ssh_containers: null, status: "success",
};
const deleted = "2020-01-01T00:00:00";

const recipeDefaults = { template_dictionary: [], require_dkms: true, arch: "x86_64" };
const jobDefaults = {
  require_dkms: true, arch: "x86_64", job_mem_size: 8, kubernetes_pvc: null, remote_build_node: "", kubernetes_secret: null,
  kubernetes_namespace: "default", kernel_parameters_file_name: "kernel-parameters",
};

describe("each older file name is read when newer ones are absent", () => {
  test.each(["v2_recipes.json", "v2.1_recipes.json"])("%s -> recipes with v2.2 defaults", (file) => {
    const data = parseLegacyData({ [file]: json([v2Recipe]) });
    expect(data.sources.recipes).toBe(file);
    expect(data.records.recipes).toEqual([{ ...v2Recipe, ...recipeDefaults } as never]);
  });

  test.each(["v3_deleted_recipes.json", "v3.1_deleted_recipes.json"])("%s -> deleted recipes, missing dictionary stays null", (file) => {
    const data = parseLegacyData({ [file]: json([{ ...v2Recipe, deleted }]) });
    expect(data.records.deleted_recipes).toEqual([{ ...v2Recipe, deleted, ...recipeDefaults, template_dictionary: null } as never]);
  });

  test("v2_images.json -> images with arch x86_64 and empty metadata", () => {
    const data = parseLegacyData({ "v2_images.json": json([v2Image]) });
    expect(data.records.images).toEqual([{ ...v2Image, arch: "x86_64", metadata: {} } as never]);
  });

  test("v3_deleted_images.json -> deleted images", () => {
    const data = parseLegacyData({ "v3_deleted_images.json": json([{ ...v2Image, deleted, metadata: null }]) });
    expect(data.records.deleted_images).toEqual([{ ...v2Image, deleted, arch: "x86_64", metadata: {} } as never]);
  });

  test.each(["v2_jobs.json", "v2.1_jobs.json", "v2.2_jobs.json"])("%s -> jobs with every later field defaulted", (file) => {
    const data = parseLegacyData({ [file]: json([v2Job]) });
    expect(data.sources.jobs).toBe(file);
    expect(data.records.jobs).toEqual([{ ...v2Job, ...jobDefaults, build_env_size: 10 } as never]);
  });
});

describe("the newest name present wins", () => {
  test("v2.2_recipes.json over v2.1 and v2; the older copies are reported as superseded", () => {
    const data = parseLegacyData({
      "v2_recipes.json": json([{ ...v2Recipe, name: "oldest" }]),
      "v2.1_recipes.json": json([{ ...v2Recipe, name: "older" }]),
      "v2.2_recipes.json": json([{ ...v2Recipe, name: "newest" }]),
    });
    expect(data.records.recipes.map((r) => r.name)).toEqual(["newest"]);
    expect(data.superseded).toEqual(["v2.1_recipes.json", "v2_recipes.json"]);
  });

  test("v2.4_jobs.json over v2.2_jobs.json; v3.1_deleted_images over v3", () => {
    const data = parseLegacyData({
      "v2.2_jobs.json": "not even JSON",
      "v2.4_jobs.json": "[]",
      "v3_deleted_images.json": "garbage",
      "v3.1_deleted_images.json": "[]",
    });
    expect(data.sources.jobs).toBe("v2.4_jobs.json");
    expect(data.sources.deleted_images).toBe("v3.1_deleted_images.json");
  });
});

describe("load defaults and normalisation", () => {
  const job = (extra: object) => parseLegacyData({ "v2.4_jobs.json": json([{ ...v2Job, ...extra }]) }).records.jobs[0]!;

  test("sizes default from the job defaults (DEFAULT_IMS_*), and numeric strings load as integers", () => {
    const { build_env_size: _, ...noSize } = v2Job;
    const data = parseLegacyData({ "v2_jobs.json": json([noSize]) }, { jobDefaults: { buildEnvSize: 75, jobMemSize: 12 } });
    expect(data.records.jobs[0]).toMatchObject({ build_env_size: 75, job_mem_size: 12 });
    expect(job({ build_env_size: "60", job_mem_size: 4 })).toMatchObject({ build_env_size: 60, job_mem_size: 4 });
  });

  test("a missing kernel file name follows the arch; status defaults to creating", () => {
    const { kernel_file_name: _k, status: _s, ...rest } = v2Job;
    const data = parseLegacyData({ "v2_jobs.json": json([{ ...rest, arch: "aarch64" }]) });
    expect(data.records.jobs[0]).toMatchObject({ kernel_file_name: "Image", status: "creating", arch: "aarch64" });
  });

  test("ssh containers: jail defaults to false, host/port dropped, unknown connection fields dropped", () => {
    const c = job({ ssh_containers: [{ name: "customize", host: "h", port: 22, connection_info: { a: { host: "x", port: 1, extra: 1 } } }] });
    expect(c.ssh_containers).toEqual([{ name: "customize", jail: false, connection_info: { a: { host: "x", port: 1 } } }]);
  });

  test("an explicit null namespace stays null; a missing one is 'default'", () => {
    expect(job({ kubernetes_namespace: null }).kubernetes_namespace).toBeNull();
    expect(job({}).kubernetes_namespace).toBe("default");
  });

  test("UUIDs are normalised to canonical lower case, as upstream re-emitted them", () => {
    const j = job({ id: ID.toUpperCase(), artifact_id: `{${ID}}` });
    expect([j.id, j.artifact_id]).toEqual([ID, ID]);
  });

  test("unknown fields inside links and template dictionaries are dropped", () => {
    const r = parseLegacyData({
      "v2.2_recipes.json": json([{ ...v2Recipe, link: { path: "s3://ims/x", type: "s3", etag: "e", size: 3 }, template_dictionary: [{ key: "k", value: "v", note: 1 }] }]),
    }).records.recipes[0]!;
    expect(r.link).toEqual({ etag: "e", path: "s3://ims/x", type: "s3" });
    expect(r.template_dictionary).toEqual([{ key: "k", value: "v" }]);
  });

  test("a repeated id is refused naming the file, both positions and the id (upstream's dict would drop one)", () => {
    const other = "e5c9e842-7852-4a2a-b90c-68cd5dc4c82f";
    const files = { "v2.1_images.json": json([{ ...v2Image, name: "a" }, { ...v2Image, id: other }, { ...v2Image, name: "b" }]) };
    expect(() => parseLegacyData(files)).toThrow(`v2.1_images.json, records at index 0 and 2: id "${ID}" appears twice.`);
  });
});
