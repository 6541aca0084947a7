/** Checks shared by every store adapter, so they all accept and refuse the same input. */
import { ImsError } from "../../src/errors.ts";
import type { Collection } from "../../src/records.ts";

/**
 * Ids, keys and lock names are stored as plain text: PostgreSQL refuses NUL, and both SQL
 * engines silently replace a lone surrogate. Such a key can never exist in any adapter.
 */
export const isStorableKey = (key: string): boolean => key.isWellFormed() && !key.includes("\u0000");

export function assertStorableKey(what: string, key: string): void {
  if (!isStorableKey(key)) {
    throw new Error(`${what} ${JSON.stringify(key)} cannot be stored: it holds a NUL or a lone surrogate`);
  }
}

export const duplicateRecord = (collection: Collection, id: string) =>
  new ImsError("conflict", `A record with id '${id}' already exists in ${collection}.`);

export const duplicateOperation = (id: string) => new Error(`Operation '${id}' is already in the journal`);

export const unknownOperation = (id: string) => new Error(`Operation '${id}' is not in the journal`);

/** `ifVersion` can only match a whole number; anything else is a stale version. */
export const isVersion = (v: number | undefined): boolean => v === undefined || Number.isSafeInteger(v);

export const txEnded = () => new Error("RecordTx used after its transaction ended");
