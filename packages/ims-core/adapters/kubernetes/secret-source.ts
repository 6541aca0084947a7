/**
 * The Secret every job gets a copy of (the signing keys) is the same for every job: jobs created
 * close together (a burst) share one read of it instead of one read each. A read is reused for
 * SOURCE_TTL_MS, so a rotated key reaches jobs created after that; a failed read is not kept.
 */
import type { V1Secret } from "@kubernetes/client-node";

export const SOURCE_TTL_MS = 5_000;

type Ref = { namespace: string; name: string };

/** `read` gives the Secret, or undefined when it does not exist. */
export function sharedSecretReads(read: (from: Ref) => Promise<V1Secret | undefined>, now: () => number = Date.now) {
  const reads = new Map<string, { at: number; secret: Promise<V1Secret | undefined> }>();
  return (from: Ref): Promise<V1Secret | undefined> => {
    const key = `${from.namespace}/${from.name}`;
    const hit = reads.get(key);
    if (hit && now() - hit.at < SOURCE_TTL_MS) return hit.secret;
    const entry = { at: now(), secret: read(from) };
    reads.set(key, entry);
    entry.secret.catch(() => reads.get(key) === entry && reads.delete(key));
    return entry.secret;
  };
}
