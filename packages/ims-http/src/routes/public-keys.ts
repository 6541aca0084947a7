/** Public keys: unversioned and /v2 (hard delete) and /v3 (soft delete); no PATCH (405). */
import { PREFIXES, type RouteDef } from "./route-table.ts";
import { liveRoutes } from "./live.ts";

export const publicKeyRoutes = (): RouteDef[] =>
  PREFIXES.flatMap((prefix) =>
    liveRoutes(prefix, {
      resource: "publicKeys", segment: "public-keys", param: "public_key_id", noun: "public key",
      schema: "PublicKey", create: "PublicKeyCreate", cascade: false,
    }),
  );
