/** Corrupt data files fail with a validation ImsError naming the file and the record. */
import { describe, expect, test } from "bun:test";
import { ImsError } from "../errors.ts";
import { parseLegacyData } from "./legacy.ts";
import { legacyRecords } from "./test-fixtures.ts";

function failure(files: Record<string, string>): ImsError {
  try {
    parseLegacyData(files);
  } catch (e) {
    expect(e).toBeInstanceOf(ImsError);
    expect((e as ImsError).kind).toBe("validation");
    return e as ImsError;
  }
  throw new Error("parseLegacyData accepted corrupt input");
}

/** The fixture file with record `index` changed by `edit`. */
function edited(file: keyof ReturnType<typeof legacyRecords>, index: number, edit: (r: Record<string, unknown>) => void) {
  const records = legacyRecords()[file] as Record<string, unknown>[];
  edit(records[index]!);
  return { [file]: JSON.stringify(records) };
}

describe("whole-file problems name the file", () => {
  test.each([
    ["not JSON", "[{", /^v2\.1_images\.json: not valid JSON/],
    ["empty", "", /^v2\.1_images\.json: the file is empty/],
    ["an object", "{}", /^v2\.1_images\.json: expected a JSON array of records, got an object/],
    ["null", "null", /^v2\.1_images\.json: expected a JSON array of records, got null/],
  ])("%s", (_, text, message) => {
    expect(failure({ "v2.1_images.json": text }).detail).toMatch(message);
  });
});

describe("record problems name the file, the index and the id", () => {
  const cases: [string, ReturnType<typeof edited>, RegExp][] = [
    ["record not an object", { "v2_public_keys.json": '[{"id":"0d4b0a64-9a7e-4c4c-9b8e-8a8f6f0e0a01","name":"a","public_key":"k","created":"2024-01-01T00:00:00"}, 42]' },
      /^v2_public_keys\.json, record at index 1: expected an object, got 42/],
    ["missing id", edited("v2.1_images.json", 1, (r) => delete r.id), /^v2\.1_images\.json, record at index 1: field 'id' is missing/],
    ["id not a UUID", edited("v2.1_images.json", 0, (r) => (r.id = "nope")), /index 0 \(id "nope"\): field 'id' must be a UUID, got "nope"/],
    ["integer field holding text", edited("v2.4_jobs.json", 1, (r) => (r.build_env_size = "big")),
      /^v2\.4_jobs\.json, record at index 1 \(id "b2f6b51f-[^"]+"\): field 'build_env_size' must be an integer, got "big"/],
    ["boolean field holding a number", edited("v2.2_recipes.json", 0, (r) => (r.require_dkms = 1)), /v2\.2_recipes\.json, record at index 0 .*'require_dkms' must be a boolean, got 1/],
    ["unknown enum value", edited("v2.4_jobs.json", 0, (r) => (r.status = "running")), /index 0 .*'status' must be one of creating, .*got "running"/],
    ["bad timestamp", edited("v3.1_deleted_images.json", 0, (r) => (r.deleted = "yesterday")), /v3\.1_deleted_images\.json, record at index 0 .*'deleted' must be an ISO-8601/],
    ["deleted record without deleted", edited("v3_deleted_public_keys.json", 0, (r) => delete r.deleted), /'deleted' is missing/],
    ["required field null", edited("v2_public_keys.json", 0, (r) => (r.name = null)), /index 0 .*'name' must not be null/],
    ["metadata value not a string", edited("v2.1_images.json", 0, (r) => (r.metadata = { k: 1 })), /'metadata\.k' must be a string, got 1/],
    ["link without a path", edited("v2.1_images.json", 0, (r) => (r.link = { type: "s3" })), /index 0 \(id "6da160ca-[^"]+"\), link: field 'path' is missing/],
    ["ssh containers not a list", edited("v2.4_jobs.json", 0, (r) => (r.ssh_containers = {})), /'ssh_containers' must be a list/],
    ["ssh container port not an integer", edited("v2.4_jobs.json", 0, (r) => ((r.ssh_containers as { connection_info: { a: object } }[])[0]!.connection_info = { a: { port: "x" } })),
      /ssh_containers\[0\], connection_info, a: field 'port' must be an integer/],
    ["node without xname", { "v2.0_remote_build_nodes.json": '[{"xname":"x1"},{}]' }, /^v2\.0_remote_build_nodes\.json, record at index 1: field 'xname' is missing/],
  ];
  test.each(cases)("%s", (_, files, message) => {
    expect(failure(files).detail).toMatch(message);
  });
});

describe("every problem of a run is reported, and nothing is loaded", () => {
  test("bad records in several files are all listed, in file order", () => {
    const records = legacyRecords();
    (records["v2.1_images.json"] as Record<string, unknown>[])[1]!.arch = "sparc";
    (records["v2.4_jobs.json"] as Record<string, unknown>[])[0]!.status = "running";
    (records["v2.4_jobs.json"] as Record<string, unknown>[])[1]!.build_env_size = "big";
    const files = Object.fromEntries(Object.entries(records).map(([name, list]) => [name, JSON.stringify(list)]));
    const error = failure({ ...files, "v2.2_recipes.json": '[{"id": 1,}]' });
    expect(error.detail).toBe("4 problems in the input; nothing was written.");
    expect(error.errors).toHaveLength(4);
    expect((error.errors as string[]).map((e) => e.split(",")[0]!.split(":")[0])).toEqual(["v2.2_recipes.json", "v2.1_images.json", "v2.4_jobs.json", "v2.4_jobs.json"]);
    expect((error.errors as string[])[0]).toBe("v2.2_recipes.json: not valid JSON: Expecting property name enclosed in double quotes: line 1 column 11 (char 10).");
  });

  test("more than 100: the first 100 are listed, all are counted", () => {
    const bad = Array.from({ length: 150 }, (_, i) => ({ id: `not-a-uuid-${i}`, name: "n", public_key: "k", created: "2024-01-01T00:00:00" }));
    const error = failure({ "v2_public_keys.json": JSON.stringify(bad) });
    expect(error.detail).toBe("150 problems in the input (the first 100 are listed); nothing was written.");
    expect(error.errors).toHaveLength(100);
    expect((error.errors as string[])[99]).toStartWith('v2_public_keys.json, record at index 99 (id "not-a-uuid-99")');
  });

  test("a syntax error names line and column", () => {
    const text = '[\n  {"id": "x",\n   "name": "a"\n   "created": "2024-01-01"}\n]';
    expect(failure({ "v2_public_keys.json": text }).detail).toBe(
      "v2_public_keys.json: not valid JSON: Expecting ',' delimiter: line 4 column 4 (char 34).",
    );
  });
});

describe("an id may appear once", () => {
  test("twice in one file: both positions and the id", () => {
    const records = legacyRecords()["v2.1_images.json"] as Record<string, unknown>[];
    const copy = { ...records[0]!, name: "a second copy" };
    const error = failure({ "v2.1_images.json": JSON.stringify([...records, copy]) });
    expect(error.detail).toBe(`v2.1_images.json, records at index 0 and ${records.length}: id "${records[0]!.id}" appears twice.`);
  });

  test("live and deleted at once: both files, both positions and the id", () => {
    const records = legacyRecords();
    const live = records["v2.1_images.json"] as Record<string, unknown>[];
    const deleted = records["v3.1_deleted_images.json"] as Record<string, unknown>[];
    deleted.push({ ...live[1]!, deleted: "2024-05-01T00:00:00" });
    const error = failure({ "v2.1_images.json": JSON.stringify(live), "v3.1_deleted_images.json": JSON.stringify(deleted) });
    expect(error.detail).toBe(
      `v2.1_images.json, record at index 1 and v3.1_deleted_images.json, record at index ${deleted.length - 1}: id "${live[1]!.id}" is both live and deleted.`,
    );
  });
});
