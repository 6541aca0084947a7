/** Picks the RecordStore adapter from a database URL (the service's one storage setting). */
import type { RecordStore } from "../src/ports.ts";
import { openPostgresStore } from "./postgres/index.ts";
import { openSqliteStore } from "./sqlite/index.ts";

const FORMS = "postgres://…, postgresql://…, sqlite:///absolute/path, sqlite:relative/path or a file path";

/** The SQLite file a URL names, or undefined when it is not a SQLite URL or path. */
function sqliteFilename(url: string): string | undefined {
  if (url.startsWith("sqlite://")) {
    const path = url.slice("sqlite://".length);
    return path.startsWith("/") ? path : undefined; // sqlite://host/... names no file
  }
  if (url.startsWith("sqlite:")) return url.slice("sqlite:".length) || undefined;
  // A plain path: anything without a URL scheme.
  return url !== "" && !/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : undefined;
}

export interface OpenStoreOptions {
  /** No migrations, no writes; a database without IMS tables (or a missing file) is not_found. */
  readOnly?: boolean;
  /** SQLite: create a missing database file (default true). */
  create?: boolean;
  /** SQLite: also create the file's missing parent directories (default true). */
  createParents?: boolean;
}

export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<RecordStore> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return openPostgresStore({ url: databaseUrl, readOnly: options.readOnly });
  const filename = sqliteFilename(databaseUrl);
  if (filename !== undefined) return openSqliteStore({ filename, ...options });
  // Show the scheme only: the rest of a URL may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(databaseUrl)?.[0];
  throw new Error(`Unsupported database URL${scheme ? ` (scheme "${scheme}")` : ""}: use ${FORMS}`);
}
