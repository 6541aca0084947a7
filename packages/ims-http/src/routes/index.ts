/** Every route the service serves, in registration order. */
import type { RouteDef } from "./route-table.ts";
import { deletedRoutesAll } from "./deleted.ts";
import { eventRoutes } from "./events.ts";
import { healthRoutes } from "./health.ts";
import { imageRoutes } from "./images.ts";
import { jobRoutes } from "./jobs.ts";
import { operationRoutes } from "./operations.ts";
import { publicKeyRoutes } from "./public-keys.ts";
import { recipeRoutes } from "./recipes.ts";
import { remoteBuildNodeRoutes } from "./remote-build-nodes.ts";

export const ROUTES: readonly RouteDef[] = Object.freeze([
  ...publicKeyRoutes(),
  ...recipeRoutes(),
  ...imageRoutes(),
  ...jobRoutes(),
  ...deletedRoutesAll(),
  ...remoteBuildNodeRoutes(),
  ...operationRoutes(),
  ...eventRoutes(),
  ...healthRoutes(),
]);
