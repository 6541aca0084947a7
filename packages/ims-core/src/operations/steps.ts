/**
 * Carrying out one journaled step. Every step is idempotent, so a step interrupted by a crash
 * (or run twice by two replicas after a lease expiry) converges to the same end state.
 */
import type { ArtifactStep, ArtifactStore } from "../ports.ts";
import { pathOf } from "../links.ts";

export type StepOutcome = { ok: true; note?: string };

export async function runStep(artifacts: ArtifactStore, step: ArtifactStep): Promise<StepOutcome> {
  switch (step.op) {
    case "write":
      await artifacts.write(step.ref, step.body, step.contentType);
      return { ok: true };
    case "remove":
      await artifacts.remove(step.ref);
      return { ok: true };
    case "copy": {
      const [src, dst] = await Promise.all([artifacts.head(step.from), artifacts.head(step.to)]);
      if (!src) {
        // Source gone: either an earlier run already moved it, or it was lost before we started.
        return dst ? { ok: true } : { ok: true, note: `source ${pathOf(step.from)} does not exist; nothing to copy` };
      }
      if (dst && dst.size === src.size && dst.etag === src.etag) return { ok: true }; // copied before a crash
      await artifacts.abortUploads(step.to); // leftovers of an interrupted multipart copy
      await artifacts.copy(step.from, step.to);
      return { ok: true };
    }
  }
}
