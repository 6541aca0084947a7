/**
 * Upgrade in place: a service started on upstream's data directory with an empty database imports
 * the legacy JSON files once, with migrate-legacy's lossless migration, in one transaction that
 * also writes a note of what it read (legacy-note.ts). Later starts find the note, import nothing
 * and report files that differ from what was imported. Replicas starting together import once:
 * the note is read and written in the import's own transaction, under the import's lock, and
 * transactions on one store never interleave (SQLite BEGIN IMMEDIATE, PostgreSQL's advisory lock).
 * The files are only read, never changed.
 */
import type { Clock, RecordStore, RecordTx } from "../ports.ts";
import { COLLECTIONS } from "../records.ts";
import { writeRecordSetIn, type ImportOptions, type ImportResult } from "./import.ts";
import { parseLegacyData, type LegacyData } from "./legacy.ts";
import { LEGACY_IMPORT_NOTE, noteOf, pickLegacyFiles, readNote, stampsOf, writeNote, type LegacyFileStamp, type LegacyImportNote } from "./legacy-note.ts";
import type { JobDefaults } from "./load-job.ts";

/** Upstream's data directory, read by an adapter (e.g. @ims/core/legacy-dir). */
export interface LegacyDir {
  /** Where the files are, for messages and the note. */
  readonly where: string;
  /** The IMS data files present, name -> text; none (an empty object) is not an error. */
  read(): Promise<Readonly<Record<string, string>>>;
}

export interface LegacyFileChange {
  name: string;
  /** changed: other content than imported; added: not there at the import; removed: gone since. */
  change: "changed" | "added" | "removed";
}

export type InPlaceResult =
  /** The directory holds no IMS data files: nothing to do. */
  | { outcome: "no-legacy-files" }
  /** This call imported them. `superseded`: older file names present but not read. */
  | { outcome: "imported"; note: LegacyImportNote; superseded: string[] }
  /** An earlier import (a start, or migrate-legacy) read them; `changes`: what differs since (report, never merge). */
  | { outcome: "imported-before"; note: LegacyImportNote; changes: LegacyFileChange[] }
  /** Legacy files, but the store already holds records that no import of them wrote: left alone. */
  | { outcome: "store-not-empty"; files: string[] };

export interface InPlaceOptions {
  clock?: Clock;
  /** Sizes for jobs whose records predate them (DEFAULT_IMS_IMAGE_SIZE, DEFAULT_IMS_JOB_MEM_SIZE). */
  jobDefaults?: JobDefaults;
}

/**
 * Imports the legacy files into an empty store, once. Throws a validation ImsError naming the
 * file and the record when a file is corrupt; the store is then left as it was.
 */
export async function importLegacyOnce(store: RecordStore, dir: LegacyDir, options: InPlaceOptions = {}): Promise<InPlaceResult> {
  const files = pickLegacyFiles(await dir.read());
  if (Object.keys(files).length === 0) return { outcome: "no-legacy-files" };
  return store.transaction(async (tx) => {
    await tx.lock(LEGACY_IMPORT_NOTE);
    const earlier = await readNote(tx);
    if (earlier !== undefined) return { outcome: "imported-before", note: earlier, changes: changesSince(earlier.files, stampsOf(files)) };
    if (await holdsRecords(tx)) return { outcome: "store-not-empty", files: Object.keys(files) };
    const data = parseLegacyData(files, { jobDefaults: options.jobDefaults });
    await writeRecordSetIn(tx, data.records);
    const note = noteOf(files, data, dir.where, options.clock?.now() ?? new Date());
    await writeNote(tx, note);
    return { outcome: "imported", note, superseded: data.superseded };
  });
}

/**
 * migrate-legacy's import (not a dry run): `data` (parsed from `files`) upserted into any store,
 * and the note written (replacing an earlier one), in one transaction.
 */
export function importLegacyData(
  store: RecordStore,
  files: Readonly<Record<string, string>>,
  data: LegacyData,
  options: Omit<ImportOptions, "dryRun"> & { from: string; clock?: Clock },
): Promise<ImportResult> {
  return store.transaction(async (tx) => {
    await tx.lock(LEGACY_IMPORT_NOTE);
    const result = await writeRecordSetIn(tx, data.records, options);
    await writeNote(tx, noteOf(files, data, options.from, options.clock?.now() ?? new Date()));
    return result;
  });
}

async function holdsRecords(tx: RecordTx): Promise<boolean> {
  for (const c of COLLECTIONS) if ((await tx.count(c)) > 0) return true;
  return false;
}

function changesSince(before: LegacyFileStamp[], now: LegacyFileStamp[]): LegacyFileChange[] {
  const then = new Map(before.map((s) => [s.name, s.sha256]));
  const current = new Map(now.map((s) => [s.name, s.sha256]));
  const changes: LegacyFileChange[] = [];
  for (const [name, sha] of current) {
    if (!then.has(name)) changes.push({ name, change: "added" });
    else if (then.get(name) !== sha) changes.push({ name, change: "changed" });
  }
  for (const name of then.keys()) if (!current.has(name)) changes.push({ name, change: "removed" });
  return changes;
}
