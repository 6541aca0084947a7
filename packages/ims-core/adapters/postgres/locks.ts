/**
 * Advisory lock keys of the store, in the two-int4 key space so they never meet the one-bigint
 * keys that lock(name) takes (pg_advisory_xact_lock(hashtext(name))).
 */
const IMS = 4803923; // "IMS" in ASCII

export const MIGRATION_LOCK = `pg_advisory_xact_lock(${IMS}, 1)`;
/** Taken first by every transaction: transactions never interleave, in one process or many. */
export const TRANSACTION_LOCK = `pg_advisory_xact_lock(${IMS}, 2)`;
