/**
 * A PostgreSQL that cannot be reached is an outage of a dependency (503, retry later), not a
 * bug (500): connection failures become "unavailable" ImsErrors; every other error is left as is.
 */
import { ImsError } from "../../src/errors.ts";

const CONNECTION_CODES = new Set(["ERR_POSTGRES_CONNECTION_REFUSED", "ERR_POSTGRES_CONNECTION_CLOSED"]);
// SQLSTATEs of a server going away or refusing work: connection exceptions (class 08),
// admin/crash shutdown, "cannot connect now" (starting up), too many connections.
const OUTAGE_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

export function asOutage(e: unknown): unknown {
  const err = e as { code?: unknown; errno?: unknown; message?: unknown } | null;
  const state = String(err?.errno ?? "");
  const down = CONNECTION_CODES.has(String(err?.code)) || state.startsWith("08") || OUTAGE_STATES.has(state);
  return down ? new ImsError("unavailable", `The database cannot be reached: ${String(err?.message)}`) : e;
}

type AsyncMethods<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof T];

/** The named methods of `target`, reporting outages as `asOutage` does; other members as they are. */
export function reportingOutages<T extends object>(target: T, methods: readonly AsyncMethods<T>[]): T {
  const out = Object.create(target) as Record<PropertyKey, unknown>;
  for (const name of methods) {
    const method = (target as Record<PropertyKey, (...args: unknown[]) => Promise<unknown>>)[name as PropertyKey]!;
    out[name as PropertyKey] = async (...args: unknown[]) => {
      try {
        return await method.apply(target, args);
      } catch (e) {
        throw asOutage(e);
      }
    };
  }
  return out as T;
}
