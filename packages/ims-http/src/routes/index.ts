/** Every route the service serves, in registration order. Job routes are not served yet (404). */
import type { RouteDef } from "../route-table.ts";
import { deletedRoutesAll } from "./deleted.ts";
import { healthRoutes } from "./health.ts";
import { imageRoutes } from "./images.ts";
import { publicKeyRoutes } from "./public-keys.ts";
import { recipeRoutes } from "./recipes.ts";
import { remoteBuildNodeRoutes } from "./remote-build-nodes.ts";

export const ROUTES: readonly RouteDef[] = Object.freeze([
  ...publicKeyRoutes(),
  ...recipeRoutes(),
  ...imageRoutes(),
  ...deletedRoutesAll(),
  ...remoteBuildNodeRoutes(),
  ...healthRoutes(),
]);
