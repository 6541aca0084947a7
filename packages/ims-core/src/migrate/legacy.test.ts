import { describe, expect, test } from "bun:test";
import { COLLECTIONS } from "../records.ts";
import { parseLegacyData } from "./legacy.ts";
import { expectedRecords, IDS, legacyFiles } from "./test-fixtures.ts";

/** Keys sorted at every level, as the API emits them. */
function assertSorted(value: unknown, path = "$"): void {
  if (Array.isArray(value)) return value.forEach((v, i) => assertSorted(v, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return;
  const keys = Object.keys(value);
  expect({ path, keys }).toEqual({ path, keys: [...keys].sort() });
  for (const k of keys) assertSorted((value as Record<string, unknown>)[k], `${path}.${k}`);
}

describe("parseLegacyData on a current data directory", () => {
  const data = parseLegacyData(legacyFiles());

  test("every record type loads as the API emits it", () => {
    expect(data.records).toEqual(expectedRecords());
    for (const c of COLLECTIONS) expect(data.records[c].length).toBeGreaterThan(0);
  });

  test("keys are sorted at every level", () => {
    for (const c of COLLECTIONS) assertSorted(data.records[c], c);
  });

  test("links keep their etag, timestamps their exact text, jobs their Kubernetes names", () => {
    expect(data.records.images[0]!.link).toEqual({ etag: "abc", path: `s3://boot-images/${IDS.image1}/manifest.json`, type: "s3" });
    expect(data.records.images[2]!.created).toBe("2024-03-03T10:00:00+00:00");
    expect(data.records.deleted_public_keys[0]!.deleted).toBe("2024-02-01T12:00:00.5");
    const job = data.records.jobs[0]!;
    expect(job.kubernetes_secret).toBe(`cray-ims-${IDS.job1}-signing-keys`);
    expect(job.ssh_containers![0]!.connection_info!.customer_access).toEqual({ host: `${IDS.job1}.ims.cmn.shasta.local`, port: 22 });
  });

  test("ssh container legacy host/port, unknown fields and unknown record fields are dropped", () => {
    expect(Object.keys(data.records.jobs[0]!.ssh_containers![0]!)).toEqual(["connection_info", "jail", "name", "status"]);
    expect(data.records.images[1]).not.toHaveProperty("platform");
    expect(data.records.recipes[1]).not.toHaveProperty("retired");
    expect(data.records.remote_build_nodes[1]).toEqual({ xname: "x3000c0s20b4n0" });
  });

  test("a null job arch becomes x86_64", () => expect(data.records.jobs[1]!.arch).toBe("x86_64"));

  test("sources name the file each store came from; names that are not IMS files are ignored", () => {
    const withJunk = parseLegacyData({ ...legacyFiles(), "notes.txt": "hello", "v9_jobs.json": "junk" });
    expect(withJunk.sources).toEqual({
      public_keys: "v2_public_keys.json",
      deleted_public_keys: "v3_deleted_public_keys.json",
      recipes: "v2.2_recipes.json",
      deleted_recipes: "v3.2_deleted_recipes.json",
      images: "v2.1_images.json",
      deleted_images: "v3.1_deleted_images.json",
      jobs: "v2.4_jobs.json",
      remote_build_nodes: "v2.0_remote_build_nodes.json",
    });
    expect(withJunk.superseded).toEqual([]);
  });

  test("an empty directory is an empty store", () => {
    const empty = parseLegacyData({});
    for (const c of COLLECTIONS) expect(empty.records[c]).toEqual([]);
    expect(Object.values(empty.sources).every((s) => s === null)).toBe(true);
  });
});
