/** Opens a record store the way the service does: a postgres:// URL, or a SQLite file path. */
import type { ArtifactStore, RecordStore } from "@ims/core";
import { openPostgresStore } from "@ims/core/postgres";
import { openSqliteStore } from "@ims/core/sqlite";

/**
 * `create`: a missing SQLite file may be created (in an existing directory only); otherwise the
 * store must exist, so a mistyped path is an error, not a new empty database. `readOnly`: only
 * reads, nothing is migrated or written.
 */
export function openRecordStore(urlOrPath: string, options: { create?: boolean; readOnly?: boolean } = {}): Promise<RecordStore> {
  if (/^postgres(ql)?:\/\//i.test(urlOrPath)) return openPostgresStore({ url: urlOrPath, readOnly: options.readOnly });
  // sqlite:PATH, sqlite:///abs/path, or a bare path.
  const filename = urlOrPath.replace(/^sqlite:(\/\/(?=\/))?/, "");
  return openSqliteStore({ filename, create: options.create ?? false, createParents: false, readOnly: options.readOnly });
}

/** The database from the first argument, else DATABASE_URL, else the service's default. */
export const databaseFrom = (arg: string | undefined) => arg ?? process.env.DATABASE_URL ?? "sqlite:./var/ims.sqlite";

/** For programs that touch no artifact: createIms wants an artifact store, this one refuses every call. */
export const noArtifacts: ArtifactStore = new Proxy({} as ArtifactStore, {
  get: (_, name) => () => Promise.reject(new Error(`this program reads no artifacts (${String(name)} called)`)),
});
