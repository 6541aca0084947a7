/** Artifact plans for recipe archives (spec: artifacts.md §7). */
import { refOf } from "../links.ts";
import type { Ctx } from "../context.ts";
import type { ArtifactLink } from "../records.ts";
import { deletedKey, moveSteps, orSkip, planMove, unchanged, undeletedKey, type Plan } from "./plan.ts";

/** v3 delete: the archive moves to deleted/<key>; on a missing object the link is kept. */
export async function softDeleteRecipe(ctx: Ctx, link: ArtifactLink | null): Promise<Plan> {
  if (!link) return unchanged(link);
  const move = await orSkip(ctx, `soft delete of recipe archive ${link.path}`, () => planMove(ctx, link, deletedKey));
  return move ? { link: move.link, steps: moveSteps([move]) } : unchanged(link);
}

/** Undelete: HEAD failure is a 422 (nothing changes); a key outside deleted/ stays as is. */
export async function undeleteRecipe(ctx: Ctx, link: ArtifactLink | null): Promise<Plan> {
  if (!link) return unchanged(link);
  const move = await planMove(ctx, link, undeletedKey);
  return move ? { link: move.link, steps: moveSteps([move]) } : unchanged(link);
}

/** Hard delete (v2 cascade, or purge of a deleted recipe): remove the archive, errors ignored. */
export async function hardDeleteRecipe(ctx: Ctx, link: ArtifactLink | null): Promise<Plan> {
  if (!link) return unchanged(null);
  const ref = await orSkip(ctx, `hard delete of recipe archive ${link.path}`, async () => refOf(link));
  return { link: null, steps: ref ? [{ op: "remove", ref }] : [] };
}
