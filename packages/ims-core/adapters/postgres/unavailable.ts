/**
 * A database that cannot be reached is a dependency failure (an "unavailable" ImsError, a 503 at
 * the HTTP edge), not an internal error: the store keeps its pool, and once the server is back
 * the next query reconnects. Anything else (a constraint, a bug) passes through unchanged.
 */
import { ImsError } from "../../src/errors.ts";

// SQLSTATE: class 08 connection exception; 57P01-57P03 the server is shutting down, crashed or
// starting up; 53300 too many connections; 3D000 the database is gone (dropped or renamed under a
// running service); class 28 the role or its password changed. Each ends when an operator acts.
const SERVER_STATES = /^(08|28|57P0[123]$|53300$|3D000$)/;

export function isUnreachable(e: unknown): boolean {
  const { code, errno } = (e ?? {}) as { code?: unknown; errno?: unknown };
  if (typeof code === "string" && /^ERR_POSTGRES_(CONNECTION_|IDLE_TIMEOUT|LIFETIME_TIMEOUT)/.test(code)) return true;
  return code === "ERR_POSTGRES_SERVER_ERROR" && typeof errno === "string" && SERVER_STATES.test(errno);
}

/** Rethrows `e`, as an unavailable ImsError when the database could not be reached. */
export function rethrow(where: string) {
  return (e: unknown): never => {
    if (isUnreachable(e)) throw new ImsError("unavailable", `The database (PostgreSQL at ${where}) cannot be reached: ${(e as Error).message}`);
    throw e;
  };
}

/**
 * The object with every method's rejections passed through `rethrow`, members that are objects
 * (the store's journal) guarded the same way. A Proxy, so inherited members reach through too.
 */
export function guarded<T extends object>(target: T, onError: (e: unknown) => never): T {
  // Each member is wrapped once, on first use (every read on the hot path goes through here).
  const wrapped = new Map<PropertyKey, { of: unknown; as: unknown }>();
  const wrap = (t: object, value: unknown): unknown => {
    if (value !== null && typeof value === "object") return guarded(value, onError);
    const fn = value as (...args: unknown[]) => unknown;
    return (...args: unknown[]) => {
      const result = fn.apply(t, args);
      return result instanceof Promise ? result.catch(onError) : result;
    };
  };
  return new Proxy(target, {
    get(t, name, receiver) {
      const value = Reflect.get(t, name, receiver);
      if (value === null || (typeof value !== "object" && typeof value !== "function")) return value;
      let entry = wrapped.get(name);
      // A member replaced since it was wrapped is wrapped anew.
      if (entry?.of !== value) wrapped.set(name, (entry = { of: value, as: wrap(t, value) }));
      return entry!.as;
    },
  });
}
