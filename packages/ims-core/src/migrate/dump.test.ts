import { describe, expect, test } from "bun:test";
import { openMemoryStore } from "../../adapters/memory/index.ts";
import { ImsError } from "../errors.ts";
import { COLLECTIONS } from "../records.ts";
import { exportStore, importStore } from "./dump.ts";
import { importRecords } from "./import.ts";
import { parseLegacyData } from "./legacy.ts";
import { expectedRecords, legacyFiles } from "./test-fixtures.ts";

async function filledStore() {
  const store = openMemoryStore();
  await importRecords(store, parseLegacyData(legacyFiles()));
  return store;
}

describe("exportStore / importStore", () => {
  test("the dump holds every collection in order with ids kept", async () => {
    const dump = await exportStore(await filledStore());
    expect(dump.format).toBe("ims-export");
    expect(dump.version).toBe(1);
    expect(dump.collections).toEqual(expectedRecords());
    // Survives a trip through a file.
    expect(JSON.parse(JSON.stringify(dump))).toEqual(dump as never);
  });

  test("import into an empty store reproduces it; a second import changes nothing", async () => {
    const dump = JSON.parse(JSON.stringify(await exportStore(await filledStore())));
    const target = openMemoryStore();
    const first = await importStore(target, dump);
    expect(first.total).toMatchObject({ records: 14, created: 14 });
    expect(await exportStore(target)).toEqual(dump);
    const second = await importStore(target, dump);
    expect(second.total).toMatchObject({ records: 14, unchanged: 14 });
    for (const c of COLLECTIONS) for (const s of await target.list(c)) expect(s.version).toBe(1);
  });

  test("a dry run writes nothing", async () => {
    const target = openMemoryStore();
    const result = await importStore(target, await exportStore(await filledStore()), { dryRun: true });
    expect(result.total.created).toBe(14);
    for (const c of COLLECTIONS) expect(await target.count(c)).toBe(0);
  });

  const bad: [string, unknown, RegExp][] = [
    ["not an export", { collections: {} }, /Not an IMS export/],
    ["another version", { format: "ims-export", version: 2, collections: {} }, /Unsupported IMS export version 2/],
    ["no collections", { format: "ims-export", version: 1 }, /no "collections" object/],
    ["unknown collection", { format: "ims-export", version: 1, collections: { widgets: [] } }, /unknown collections: widgets/],
    ["a collection not a list", { format: "ims-export", version: 1, collections: { jobs: {} } }, /^collections\.jobs: expected a JSON array/],
    ["a bad record", { format: "ims-export", version: 1, collections: { images: [{ id: "x" }] } }, /^collections\.images, record at index 0 \(id "x"\): field 'id' must be a UUID/],
  ];
  test.each(bad)("%s is refused and nothing is written", async (_, dump, message) => {
    const target = openMemoryStore();
    const error = await importStore(target, dump).catch((e) => e);
    expect(error).toBeInstanceOf(ImsError);
    expect((error as ImsError).detail).toMatch(message);
    for (const c of COLLECTIONS) expect(await target.count(c)).toBe(0);
  });
});
