/**
 * Upgrade in place: upstream's files are imported once into an empty store, exactly as
 * migrate-legacy imports them; later starts import nothing and report what changed since.
 * (Real SQLite and PostgreSQL, and replicas starting together: adapters/legacy-dir/in-place.test.ts.)
 */
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { openMemoryStore } from "../../adapters/memory/index.ts";
import { ImsError } from "../errors.ts";
import type { RecordStore } from "../ports.ts";
import { COLLECTIONS } from "../records.ts";
import { ALL_LEGACY_FILES } from "./files.ts";
import { importRecords } from "./import.ts";
import { importLegacyData, importLegacyOnce, type InPlaceResult, type LegacyDir } from "./in-place.ts";
import { LEGACY_IMPORT_NOTE } from "./legacy-note.ts";
import { parseLegacyData } from "./legacy.ts";
import { expectedRecords, IDS, legacyFiles, legacyRecords } from "./test-fixtures.ts";

const dirOf = (files: Record<string, string>): LegacyDir => ({ where: "/var/ims/data", read: async () => files });
const clock = { now: () => new Date("2025-01-02T03:04:05.000Z") };
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Every collection with ids, data and versions, in order. */
async function snapshot(store: RecordStore) {
  const out: Record<string, unknown> = {};
  for (const c of COLLECTIONS) out[c] = await store.list(c);
  return out;
}
const note = (store: RecordStore) => store.transaction((tx) => tx.getMeta(LEGACY_IMPORT_NOTE));

function outcome<O extends InPlaceResult["outcome"]>(r: InPlaceResult, o: O): Extract<InPlaceResult, { outcome: O }> {
  expect(r.outcome).toBe(o);
  return r as Extract<InPlaceResult, { outcome: O }>;
}

describe("the first start on upstream's data directory", () => {
  test("imports every record as migrate-legacy does, and notes the files, sources and counts", async () => {
    const files: Record<string, string> = { ...legacyFiles(), "README.txt": "not an IMS file" };
    const store = openMemoryStore();
    const r = outcome(await importLegacyOnce(store, dirOf(files), { clock }), "imported");

    const viaCli = openMemoryStore();
    await importRecords(viaCli, parseLegacyData(legacyFiles()));
    expect(await snapshot(store)).toEqual(await snapshot(viaCli));
    const expected = expectedRecords();
    for (const c of COLLECTIONS) expect((await store.list(c)).map((s) => s.data)).toEqual(expected[c] as never);

    expect(r.note.imported).toBe("2025-01-02T03:04:05.000Z");
    expect(r.note.from).toBe("/var/ims/data");
    expect(r.note.files.map((f) => f.name).sort()).toEqual(Object.keys(legacyFiles()).sort());
    const images = r.note.files.find((f) => f.name === "v2.1_images.json")!;
    expect(images).toEqual({ name: "v2.1_images.json", bytes: Buffer.byteLength(files["v2.1_images.json"]!), sha256: sha256(files["v2.1_images.json"]!) });
    expect(r.note.sources.jobs).toBe("v2.4_jobs.json");
    expect(r.note.counts).toEqual({
      public_keys: 2, deleted_public_keys: 1, recipes: 2, deleted_recipes: 1, images: 3, deleted_images: 1, jobs: 2, remote_build_nodes: 2,
    });
    expect(JSON.parse((await note(store))!)).toEqual(r.note);
  });

  test("older file names beside newer ones are noted but not read", async () => {
    const stale = JSON.stringify([{ id: IDS.image1, created: "2020-01-01T00:00:00", name: "stale", link: null }]);
    const r = outcome(await importLegacyOnce(openMemoryStore(), dirOf({ ...legacyFiles(), "v2_images.json": stale })), "imported");
    expect(r.superseded).toEqual(["v2_images.json"]);
    expect(r.note.files.map((f) => f.name)).toContain("v2_images.json");
    expect(r.note.sources.images).toBe("v2.1_images.json");
  });

  test("files holding empty lists import nothing but are noted all the same", async () => {
    const store = openMemoryStore();
    const r = outcome(await importLegacyOnce(store, dirOf({ "v2_public_keys.json": "[]", "v2.1_images.json": "[]\n" })), "imported");
    expect(r.note.counts.images).toBe(0);
    expect(outcome(await importLegacyOnce(store, dirOf({ "v2_public_keys.json": "[]", "v2.1_images.json": "[]\n" })), "imported-before").changes).toEqual([]);
  });

  test("a corrupt file stops it with the file and the record named, and writes nothing, not even the note", async () => {
    const records = legacyRecords()["v2.4_jobs.json"] as Record<string, unknown>[];
    records[1]!.status = "running";
    const store = openMemoryStore();
    const error = await importLegacyOnce(store, dirOf({ ...legacyFiles(), "v2.4_jobs.json": JSON.stringify(records) })).catch((e) => e);
    expect(error).toBeInstanceOf(ImsError);
    expect((error as ImsError).kind).toBe("validation");
    expect((error as ImsError).detail).toMatch(new RegExp(`^v2\\.4_jobs\\.json, record at index 1 \\(id "${IDS.job2}"\\): field 'status' must be one of`));
    for (const c of COLLECTIONS) expect(await store.count(c)).toBe(0);
    expect(await note(store)).toBeUndefined();
    // Once the file is mended, the next start imports.
    outcome(await importLegacyOnce(store, dirOf(legacyFiles())), "imported");
  });

  test("a file that is not JSON is named too", async () => {
    const error = await importLegacyOnce(openMemoryStore(), dirOf({ ...legacyFiles(), "v2_public_keys.json": '[{"id": ' })).catch((e) => e);
    expect((error as ImsError).detail).toMatch(/^v2_public_keys\.json: not valid JSON/);
  });
});

describe("later starts", () => {
  test("import nothing again: records and versions stay as they were, even records deleted since", async () => {
    const store = openMemoryStore();
    await importLegacyOnce(store, dirOf(legacyFiles()));
    await store.transaction(async (tx) => {
      await tx.remove("images", IDS.image3);
      await tx.update("public_keys", IDS.key1, { ...(await tx.get("public_keys", IDS.key1))!.data, name: "renamed" });
    });
    const before = await snapshot(store);
    const r = outcome(await importLegacyOnce(store, dirOf(legacyFiles())), "imported-before");
    expect(r.changes).toEqual([]);
    expect(await snapshot(store)).toEqual(before);
  });

  test("report files changed, added or removed since the import, and merge none of them", async () => {
    const store = openMemoryStore();
    const first = outcome(await importLegacyOnce(store, dirOf(legacyFiles())), "imported");
    const before = await snapshot(store);
    const now = legacyFiles();
    const keys = legacyRecords()["v2_public_keys.json"];
    now["v2_public_keys.json"] = JSON.stringify([...keys, { ...keys[0], id: "c0ffee00-0000-4000-8000-000000000001", name: "written by upstream later" }]);
    delete now["v3.1_deleted_images.json"];
    now["v2_jobs.json"] = "[]";
    const r = outcome(await importLegacyOnce(store, dirOf(now)), "imported-before");
    expect(r.note).toEqual(first.note);
    expect(r.changes).toEqual([
      { name: "v2_public_keys.json", change: "changed" },
      { name: "v2_jobs.json", change: "added" },
      { name: "v3.1_deleted_images.json", change: "removed" },
    ]);
    expect(await snapshot(store)).toEqual(before);
  });
});

describe("a store filled by migrate-legacy", () => {
  test("is recognised: migrate-legacy writes the same note in its transaction, so a start imports nothing", async () => {
    const store = openMemoryStore();
    const files = legacyFiles();
    const data = parseLegacyData(files);
    const result = await importLegacyData(store, files, data, { from: "/srv/copy-of-data", clock });
    expect(result.total.created).toBe(14);
    const written = JSON.parse((await note(store))!);
    expect(written).toMatchObject({ imported: "2025-01-02T03:04:05.000Z", from: "/srv/copy-of-data", sources: data.sources });
    const before = await snapshot(store);
    const r = outcome(await importLegacyOnce(store, dirOf(files)), "imported-before");
    expect(r).toEqual({ outcome: "imported-before", note: written, changes: [] });
    expect(await snapshot(store)).toEqual(before);
  });

  test("a later migrate-legacy of changed files merges them and notes them instead", async () => {
    const store = openMemoryStore();
    await importLegacyOnce(store, dirOf(legacyFiles()), { clock });
    const now = { ...legacyFiles(), "v2.0_remote_build_nodes.json": JSON.stringify([{ xname: "x9000c0s1b0n0" }]) };
    const result = await importLegacyData(store, now, parseLegacyData(now), { from: "/var/ims/data" });
    expect(result.collections.remote_build_nodes).toMatchObject({ created: 1, unchanged: 0 });
    expect(outcome(await importLegacyOnce(store, dirOf(now)), "imported-before").changes).toEqual([]);
  });
});

describe("nothing to import", () => {
  test("a directory without IMS data files: nothing written, no note", async () => {
    const store = openMemoryStore();
    expect(await importLegacyOnce(store, dirOf({}))).toEqual({ outcome: "no-legacy-files" });
    expect(await importLegacyOnce(store, dirOf({ "lost+found": "", "ims.sqlite": "x" }))).toEqual({ outcome: "no-legacy-files" });
    expect(await note(store)).toBeUndefined();
  });

  test("a store that already holds records no import wrote is left alone", async () => {
    const store = openMemoryStore();
    await store.transaction((tx) => tx.insert("remote_build_nodes", "x9", { xname: "x9" }));
    const r = await importLegacyOnce(store, dirOf(legacyFiles()));
    expect(r).toEqual({ outcome: "store-not-empty", files: ALL_LEGACY_FILES.filter((name) => Object.hasOwn(legacyFiles(), name)) });
    expect(await store.count("images")).toBe(0);
    expect(await note(store)).toBeUndefined();
  });
});
