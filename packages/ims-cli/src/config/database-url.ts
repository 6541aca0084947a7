/**
 * DATABASE_URL in the forms openStore accepts (postgres URLs, sqlite:///abs, sqlite:path, a bare
 * path), with SQLite paths made absolute so the store does not depend on the working directory.
 */
import { isAbsolute, resolve } from "node:path";

export function normaliseDatabaseUrl(raw: string, cwd: string): string | undefined {
  if (/^postgres(ql)?:\/\/\S+$/i.test(raw)) return raw;
  let path: string | undefined;
  if (raw.startsWith("sqlite://")) path = raw.slice(9).startsWith("/") ? raw.slice(9) : undefined;
  else if (raw.startsWith("sqlite:")) path = raw.slice(7);
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(raw)) path = raw;
  if (!path) return undefined;
  return `sqlite:${isAbsolute(path) ? path : resolve(cwd, path)}`;
}

/** The SQLite file a normalised DATABASE_URL names, if it names one. */
export const sqliteFileOf = (url: string): string | undefined => (url.startsWith("sqlite:") ? url.slice("sqlite:".length) : undefined);

/** Never print a database password. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
