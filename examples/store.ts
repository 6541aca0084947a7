/** Opens a record store the way the service does: a postgres:// URL, or a SQLite file path. */
import type { RecordStore } from "@ims/core";
import { openPostgresStore } from "@ims/core/postgres";
import { openSqliteStore } from "@ims/core/sqlite";

export function openRecordStore(urlOrPath: string): Promise<RecordStore> {
  if (/^postgres(ql)?:\/\//i.test(urlOrPath)) return openPostgresStore({ url: urlOrPath });
  // sqlite:PATH, sqlite:///abs/path, or a bare path.
  const filename = urlOrPath.replace(/^sqlite:(\/\/(?=\/))?/, "");
  return openSqliteStore({ filename });
}

/** The database from the first argument, else DATABASE_URL, else the service's default. */
export const databaseFrom = (arg: string | undefined) => arg ?? process.env.DATABASE_URL ?? "sqlite:./var/ims.sqlite";
