/**
 * The note an import of upstream's data files leaves in the store (meta LEGACY_IMPORT_NOTE),
 * written in the import's own transaction: when, from where, each file's name, size and SHA-256,
 * and what was read. Upgrade in place finds it on later starts (import nothing, report files
 * changed since); migrate-legacy writes it too, so a store it filled is recognised.
 */
import { createHash } from "node:crypto";
import { ImsError } from "../errors.ts";
import type { RecordTx } from "../ports.ts";
import type { Collection } from "../records.ts";
import { ALL_LEGACY_FILES } from "./files.ts";
import { countsOf, type LegacyData } from "./legacy.ts";

export const LEGACY_IMPORT_NOTE = "legacy-import";

export interface LegacyFileStamp {
  name: string;
  bytes: number;
  sha256: string;
}

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

/** Only IMS data file names, in a fixed order. */
export function pickLegacyFiles(all: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ALL_LEGACY_FILES) if (Object.hasOwn(all, name) && typeof all[name] === "string") out[name] = all[name];
  return out;
}

export function stampsOf(files: Readonly<Record<string, string>>): LegacyFileStamp[] {
  return Object.entries(pickLegacyFiles(files)).map(([name, text]) => {
    const bytes = new TextEncoder().encode(text);
    return { name, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
  });
}

export function noteOf(files: Readonly<Record<string, string>>, data: LegacyData, from: string, now: Date): LegacyImportNote {
  return { imported: now.toISOString(), from, files: stampsOf(files), sources: data.sources, counts: countsOf(data.records) };
}

export async function readNote(tx: RecordTx): Promise<LegacyImportNote | undefined> {
  const text = await tx.getMeta(LEGACY_IMPORT_NOTE);
  if (text === undefined) return undefined;
  try {
    const note = JSON.parse(text) as LegacyImportNote;
    if (Array.isArray(note.files) && typeof note.imported === "string") return note;
  } catch {
    // reported below
  }
  throw new ImsError("internal", `The store's ${LEGACY_IMPORT_NOTE} note is unreadable: ${JSON.stringify(text.slice(0, 80))}.`);
}

export const writeNote = (tx: RecordTx, note: LegacyImportNote): Promise<void> => tx.putMeta(LEGACY_IMPORT_NOTE, JSON.stringify(note));
