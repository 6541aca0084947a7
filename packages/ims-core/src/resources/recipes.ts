/** Recipes: Kiwi-NG/Packer recipe archives in S3 (spec: api.md §5). */
import { sortKeys } from "../canonical.ts";
import { validateBody } from "../validate.ts";
import { RecipeCreate, RecipePatch } from "../schemas.ts";
import { isoNow } from "../time.ts";
import { headArtifact } from "../manifest.ts";
import { hardDeleteRecipe, softDeleteRecipe, undeleteRecipe } from "../artifacts/recipe-plans.ts";
import { unchanged } from "../artifacts/plan.ts";
import type { Ctx } from "../context.ts";
import type { Recipe } from "../records.ts";
import type { PatchableResource } from "../service-types.ts";
import { checkIfMatch, commit, guarded, mustGet, mustGetJson, STALE } from "./common.ts";
import { commitCreate, idempotentCreate } from "./idempotency.ts";
import { deleteAllLive, deleteLive, type KindSpec } from "./lifecycle.ts";
import { assertNotLeaving, assertUniqueLink, patchConflict, sameLink, storedLink } from "./links.ts";

type LinkInput = { path: string; etag?: string; type: string };
type RecipeInput = Omit<Recipe, "id" | "created" | "link"> & { link: LinkInput | null };
type RecipeChanges = Partial<Omit<Recipe, "link">> & { link?: LinkInput };

export const recipeKind: KindSpec<"recipes", "deleted_recipes"> = {
  what: "Recipe",
  live: "recipes",
  deleted: "deleted_recipes",
  softDelete: (ctx, r) => softDeleteRecipe(ctx, r.link),
  hardDelete: (ctx, r, cascade) => (cascade ? hardDeleteRecipe(ctx, r.link) : Promise.resolve(unchanged(null))),
  purge: (ctx, r) => hardDeleteRecipe(ctx, r.link),
  undelete: (ctx, r) => undeleteRecipe(ctx, r.link),
};

/**
 * Checks a new link (unique, object exists) and stores it inside the transaction, race-free.
 * `shown`: the link as upstream prints it (a PATCH's as sent).
 */
async function linkChecked(ctx: Ctx, link: LinkInput, shown: unknown, selfId?: string) {
  await assertUniqueLink(ctx.store, "recipes", link.path, selfId);
  await assertNotLeaving(ctx.store.journal, [link.path]);
  await headArtifact(ctx, link, shown);
  return storedLink(link);
}

export function recipes(ctx: Ctx): PatchableResource<Recipe> {
  return {
    list: () => ctx.store.list("recipes"),
    listJson: () => ctx.lists.json("recipes"),
    get: (id) => mustGet(ctx, "recipes", id),
    getJson: (id) => mustGetJson(ctx, "recipes", id),
    create: (body, opts) =>
      idempotentCreate(ctx, opts?.idempotency, async () => {
        const input = validateBody<RecipeInput>(RecipeCreate, body);
        const link = input.link ? await linkChecked(ctx, input.link, input.link) : null;
        const record: Recipe = sortKeys({
          ...input,
          template_dictionary: input.template_dictionary === undefined ? [] : input.template_dictionary,
          link,
          id: ctx.ids.uuid(),
          created: isoNow(ctx.clock),
        });
        return commitCreate(ctx, opts?.idempotency, async (tx) => {
          await tx.lock("links:recipes");
          if (link) await assertUniqueLink(tx, "recipes", link.path);
          await tx.insert("recipes", record.id, record);
          return { data: record, version: 1 };
        });
      }),
    async patch(id, body, opts) {
      await mustGet(ctx, "recipes", id);
      const changes = validateBody<RecipeChanges>(RecipePatch, body);
      return guarded(opts, async () => {
        const cur = await mustGet(ctx, "recipes", id);
        checkIfMatch(cur, opts);
        const next: Recipe = { ...cur.data, ...changes, link: cur.data.link };
        if (changes.link && cur.data.link && !sameLink(cur.data.link, (body as { link: unknown }).link)) throw patchConflict();
        if (changes.link && !cur.data.link) next.link = await linkChecked(ctx, changes.link, (body as { link: unknown }).link, id);
        const record = sortKeys(next);
        return commit(ctx, async (tx) => {
          await tx.lock("links:recipes");
          if (record.link && !cur.data.link) await assertUniqueLink(tx, "recipes", record.link.path, id);
          const version = await tx.update("recipes", id, record, cur.version);
          return version === undefined ? STALE : { data: record, version };
        });
      });
    },
    delete: (id, how, opts) => deleteLive(ctx, recipeKind, id, how, opts),
    deleteAll: (how, opts) => deleteAllLive(ctx, recipeKind, how, opts),
  };
}
