/** Recipes on every prefix; v2 deletes take `cascade` (remove the recipe archive too). */
import { PREFIXES, type RouteDef } from "./route-table.ts";
import { liveRoutes } from "./live.ts";

export const recipeRoutes = (): RouteDef[] =>
  PREFIXES.flatMap((prefix) =>
    liveRoutes(prefix, {
      resource: "recipes", segment: "recipes", param: "recipe_id", noun: "recipe",
      schema: "Recipe", create: "RecipeCreate", patch: "RecipePatch", cascade: true,
    }),
  );
