/** Moving records into a store: upstream's legacy JSON data files, and whole-store dumps. */
export { parseLegacyData, countsOf, type LegacyData } from "./legacy.ts";
export { importRecords, type ImportOptions, type ImportResult, type CollectionCounts } from "./import.ts";
export { exportStore, importStore, parseDump, DUMP_FORMAT, DUMP_VERSION, type StoreDump } from "./dump.ts";
export { loadCollection, keyOf, type RecordSet, type LoadOptions } from "./collection.ts";
export { LEGACY_FILES, ALL_LEGACY_FILES } from "./files.ts";
export { parseJsonText, MAX_LISTED } from "./problems.ts";
export { DEFAULT_JOB_DEFAULTS, type JobDefaults } from "./load-job.ts";
export { importLegacyOnce, importLegacyData, type LegacyDir, type LegacyFileChange, type InPlaceResult, type InPlaceOptions } from "./in-place.ts";
export { LEGACY_IMPORT_NOTE, type LegacyFileStamp, type LegacyImportNote } from "./legacy-note.ts";
