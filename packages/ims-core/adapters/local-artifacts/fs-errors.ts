/** File system failures as ImsErrors: the disk plays the part S3 plays elsewhere. */
import { ImsError } from "../../src/errors.ts";

const MISSING = new Set(["ENOENT", "ENOTDIR"]);
const DOWN = new Set(["EACCES", "EPERM", "ENOSPC", "EROFS", "EIO", "EMFILE", "ENFILE", "EDQUOT", "EBUSY"]);

export const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

export const isMissing = (e: unknown) => MISSING.has(codeOf(e) ?? "");

const CLASH = new Set(["EISDIR", "EEXIST", "ENOTEMPTY", "ENOTDIR"]);

/** `placing`: the error came from putting a file at the ref (write, copy target). */
export function toImsError(e: unknown, dir: string, what: string, placing = false): ImsError {
  if (e instanceof ImsError) return e;
  const code = codeOf(e) ?? "";
  const message = (e as Error)?.message ?? String(e);
  // One path cannot be both a file and a directory: keys "a" and "a/b" cannot coexist here.
  if (placing && CLASH.has(code)) {
    return new ImsError("conflict", `${what} clashes with another key in the local artifact store (a key cannot also be a prefix of keys).`);
  }
  if (MISSING.has(code)) return new ImsError("not_found", `${what} was not found.`);
  if (code === "ENAMETOOLONG") return new ImsError("validation", `${what} is too long for the local artifact store.`);
  if (DOWN.has(code)) return new ImsError("unavailable", `Local artifact store at ${dir} is unavailable: ${message}`);
  return new ImsError("internal", `Local artifact store failed on ${what}: ${message}`);
}
