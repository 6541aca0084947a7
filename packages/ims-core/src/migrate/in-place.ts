/**
 * Upgrade in place: a service started on upstream's data directory with an empty database imports
 * the legacy JSON files once, with migrate-legacy's lossless migration, in one transaction that
 * also writes a note of what it read (file names, sizes, SHA-256). Later starts find the note,
 * import nothing and report files that differ from what was imported. Replicas starting together
 * import once: the note is read and written in the import's own transaction, and transactions on
 * one store never interleave (SQLite BEGIN IMMEDIATE, PostgreSQL's transaction lock).
 * The files are only read, never changed.
 */
import { createHash } from "node:crypto";
import { ImsError } from "../errors.ts";
import type { Clock, RecordStore, RecordTx } from "../ports.ts";
import { COLLECTIONS, type Collection } from "../records.ts";
import { ALL_LEGACY_FILES } from "./files.ts";
import { writeRecordSetIn } from "./import.ts";
import { countsOf, parseLegacyData } from "./legacy.ts";
import type { JobDefaults } from "./load-job.ts";

/** Upstream's data directory, read by an adapter (e.g. @ims/core/legacy-dir). */
export interface LegacyDir {
  /** Where the files are, for messages and the note. */
  readonly where: string;
  /** The IMS data files present, name -> text; none (an empty object) is not an error. */
  read(): Promise<Readonly<Record<string, string>>>;
}

export interface LegacyFileStamp {
  name: string;
  bytes: number;
  sha256: string;
}

/** Kept in the store (meta note LEGACY_IMPORT_NOTE) by the import that read the files. */
export interface LegacyImportNote {
  /** ISO-8601 time of the import. */
  imported: string;
  from: string;
  /** Every IMS data file present at the import, read or superseded by a newer name. */
  files: LegacyFileStamp[];
  /** The file each collection was read from (null: no file, an empty collection). */
  sources: Record<Collection, string | null>;
  /** Records imported per collection. */
  counts: Record<Collection, number>;
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
  /** An earlier start imported them; `changes` lists what differs since (report, never merge). */
  | { outcome: "imported-before"; note: LegacyImportNote; changes: LegacyFileChange[] }
  /** Legacy files, but the store already holds records that no import of them wrote: left alone. */
  | { outcome: "store-not-empty"; files: string[] };

export interface InPlaceOptions {
  clock?: Clock;
  /** Sizes for jobs whose records predate them (DEFAULT_IMS_IMAGE_SIZE, DEFAULT_IMS_JOB_MEM_SIZE). */
  jobDefaults?: JobDefaults;
}

export const LEGACY_IMPORT_NOTE = "legacy-import";

/**
 * Imports the legacy files into an empty store, once. Throws a validation ImsError naming the
 * file and the record when a file is corrupt; the store is then left as it was.
 */
export async function importLegacyOnce(store: RecordStore, dir: LegacyDir, options: InPlaceOptions = {}): Promise<InPlaceResult> {
  const files = pickLegacyFiles(await dir.read());
  const stamps = Object.entries(files).map(([name, text]) => stampOf(name, text));
  if (stamps.length === 0) return { outcome: "no-legacy-files" };
  return store.transaction(async (tx) => {
    await tx.lock(LEGACY_IMPORT_NOTE);
    const earlier = await tx.getMeta(LEGACY_IMPORT_NOTE);
    if (earlier !== undefined) {
      const note = readNote(earlier);
      return { outcome: "imported-before", note, changes: changesSince(note.files, stamps) };
    }
    if (await holdsRecords(tx)) return { outcome: "store-not-empty", files: stamps.map((s) => s.name) };
    const data = parseLegacyData(files, { jobDefaults: options.jobDefaults });
    await writeRecordSetIn(tx, data.records);
    const note: LegacyImportNote = {
      imported: (options.clock?.now() ?? new Date()).toISOString(),
      from: dir.where,
      files: stamps,
      sources: data.sources,
      counts: countsOf(data.records),
    };
    await tx.putMeta(LEGACY_IMPORT_NOTE, JSON.stringify(note));
    return { outcome: "imported", note, superseded: data.superseded };
  });
}

/** Only IMS data file names, in a fixed order. */
function pickLegacyFiles(all: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ALL_LEGACY_FILES) if (Object.hasOwn(all, name) && typeof all[name] === "string") out[name] = all[name];
  return out;
}

function stampOf(name: string, text: string): LegacyFileStamp {
  const bytes = new TextEncoder().encode(text);
  return { name, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
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

function readNote(text: string): LegacyImportNote {
  try {
    const note = JSON.parse(text) as LegacyImportNote;
    if (Array.isArray(note.files) && typeof note.imported === "string") return note;
  } catch {
    // reported below
  }
  throw new ImsError("internal", `The store's ${LEGACY_IMPORT_NOTE} note is unreadable: ${JSON.stringify(text.slice(0, 80))}.`);
}
