/**
 * Clean-up (spec jobs.md §9): delete in the given order, "not found" is success, every other
 * failure is collected as one message so the caller can report them all (500) at once.
 */
import type { KubeRef } from "../../src/cluster.ts";
import { KINDS, type Apis } from "./create.ts";
import { apiFailure, describe } from "./transport.ts";

export async function removeObjects(apis: Apis, namespace: string, refs: KubeRef[]): Promise<string[]> {
  const failures: string[] = [];
  for (const ref of refs) {
    if (!ref.name) continue; // records keep null/empty names for objects never created
    const what = `${ref.kind} '${ref.name}' in namespace '${namespace}'`;
    const ops = KINDS[ref.kind];
    if (!ops) {
      failures.push(`Failed to delete ${what}: unsupported kind`);
      continue;
    }
    try {
      await ops.remove(apis, namespace, ref.name);
    } catch (e) {
      if (apiFailure(e)?.code === 404) continue;
      failures.push(`Failed to delete ${what}: ${describe(e)}`);
    }
  }
  return failures;
}
