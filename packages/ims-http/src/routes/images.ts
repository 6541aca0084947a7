/** Images on every prefix; v2 deletes take `cascade` (remove the manifest's artifacts too). */
import { PREFIXES, type RouteDef } from "./route-table.ts";
import { liveRoutes } from "./live.ts";

export const imageRoutes = (): RouteDef[] =>
  PREFIXES.flatMap((prefix) =>
    liveRoutes(prefix, {
      resource: "images", segment: "images", param: "image_id", noun: "image",
      schema: "Image", create: "ImageCreate", patch: "ImagePatch", cascade: true,
    }),
  );
