/**
 * Idempotent creates. The result for a key is stored in the same transaction that writes the
 * record, so however many processes race with one key, exactly one record is created and every
 * attempt answers with that first result.
 */
import { ImsError, isImsError } from "../errors.ts";
import { isoNaive } from "../time.ts";
import type { Ctx } from "../context.ts";
import type { IdempotentResult, RecordTx, Stored } from "../ports.ts";
import type { IdempotencyOptions } from "../service-types.ts";
import { commit } from "./common.ts";

const CREATED = 201;

export const keyReused = () =>
  new ImsError(
    "validation",
    "The Idempotency-Key was already used for a different request (another method, path or body); send a new key for a new request.",
    [],
  );

function replay<T>(found: IdempotentResult, idem: IdempotencyOptions): Stored<T> {
  if (found.fingerprint !== idem.fingerprint) throw keyReused();
  return JSON.parse(found.body) as Stored<T>;
}

/** Commits a create; with a key, answers the stored result instead, or stores this one with it. */
export function commitCreate<T>(
  ctx: Ctx,
  idem: IdempotencyOptions | undefined,
  write: (tx: RecordTx) => Promise<Stored<T>>,
): Promise<Stored<T>> {
  if (!idem) return commit(ctx, write);
  return commit(ctx, async (tx) => {
    const found = await tx.getIdempotent(idem.key);
    if (found) return replay<T>(found, idem);
    const result = await write(tx);
    const stored: IdempotentResult = {
      fingerprint: idem.fingerprint,
      status: CREATED,
      body: JSON.stringify(result),
      created: isoNaive(ctx.clock.now()),
    };
    await tx.putIdempotent(idem.key, stored);
    return result;
  });
}

/**
 * Runs a whole create (validation, checks, commitCreate). A retry can fail before it reaches
 * the transaction because the first attempt's record now exists (e.g. its link is taken): when
 * the key already has a result, that result is the answer, not the error.
 */
export async function idempotentCreate<T>(
  ctx: Ctx,
  idem: IdempotencyOptions | undefined,
  run: () => Promise<Stored<T>>,
): Promise<Stored<T>> {
  try {
    return await run();
  } catch (e) {
    if (!idem || !isImsError(e)) throw e;
    const found = await ctx.store.transaction((tx) => tx.getIdempotent(idem.key));
    if (!found) throw e;
    return replay<T>(found, idem);
  }
}
