import { describe, expect, test } from "bun:test";
import { openMemoryStore } from "../../adapters/memory/index.ts";
import { ImsError } from "../errors.ts";
import { COLLECTIONS } from "../records.ts";
import { exportStore, importStore, parseDump } from "./dump.ts";
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

describe("ids in a dump and in the store", () => {
  test("an id twice in a dump, or live and deleted at once, is refused with both positions", async () => {
    const dump = await exportStore(await filledStore());
    const images = dump.collections.images;
    const twice = { ...dump, collections: { ...dump.collections, images: [...images, images[0]!] } };
    expect(() => parseDump(twice)).toThrow(`collections.images, records at index 0 and ${images.length}: id "${images[0]!.id}" appears twice.`);
    const both = { ...dump, collections: { ...dump.collections, deleted_images: [...dump.collections.deleted_images, { ...images[1]!, deleted: "2024-05-01T00:00:00" }] } };
    expect(() => parseDump(both)).toThrow(
      `collections.images, record at index 1 and collections.deleted_images, record at index ${dump.collections.deleted_images.length}: id "${images[1]!.id}" is both live and deleted.`,
    );
  });

  test("a record deleted in the store cannot come back live through an import: refused, nothing written", async () => {
    const target = await filledStore();
    const dump = JSON.parse(JSON.stringify(await exportStore(target)));
    const image = dump.collections.images[0];
    await target.transaction(async (tx) => {
      await tx.remove("images", image.id);
      await tx.insert("deleted_images", image.id, { ...image, deleted: "2024-05-01T00:00:00" });
    });
    const before = await exportStore(target);
    const error = await importStore(target, dump).catch((e) => e);
    expect(error).toBeInstanceOf(ImsError);
    expect(error.detail).toBe(`images, record 0: id "${image.id}" is in deleted_images in the database; importing it would make it both live and deleted.`);
    expect(await exportStore(target)).toEqual(before);
  });
});
