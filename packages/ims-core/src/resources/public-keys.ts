/** Public keys: create, list, get, delete (v2 hard, v3 soft). No artifacts, no PATCH. */
import { sortKeys } from "../canonical.ts";
import { validateBody } from "../validate.ts";
import { PublicKeyCreate } from "../schemas.ts";
import { isoNow } from "../time.ts";
import { unchanged } from "../artifacts/plan.ts";
import type { Ctx } from "../context.ts";
import type { PublicKey } from "../records.ts";
import type { LiveResource } from "../service-types.ts";
import { mustGet, mustGetJson } from "./common.ts";
import { commitCreate, idempotentCreate } from "./idempotency.ts";
import { deleteAllLive, deleteLive, type KindSpec } from "./lifecycle.ts";

export const publicKeyKind: KindSpec<"public_keys", "deleted_public_keys"> = {
  what: "Public key",
  live: "public_keys",
  deleted: "deleted_public_keys",
  softDelete: async () => unchanged(null),
  hardDelete: async () => unchanged(null),
  purge: async () => unchanged(null),
  undelete: async () => unchanged(null),
};

export function publicKeys(ctx: Ctx): LiveResource<PublicKey> {
  return {
    list: () => ctx.store.list("public_keys"),
    listJson: () => ctx.lists.json("public_keys"),
    get: (id) => mustGet(ctx, "public_keys", id),
    getJson: (id) => mustGetJson(ctx, "public_keys", id),
    create: (body, opts) =>
      idempotentCreate(ctx, opts?.idempotency, async () => {
        const input = validateBody<{ name: string; public_key: string }>(PublicKeyCreate, body);
        const record: PublicKey = sortKeys({ ...input, id: ctx.ids.uuid(), created: isoNow(ctx.clock) });
        return commitCreate(ctx, opts?.idempotency, async (tx) => {
          await tx.insert("public_keys", record.id, record);
          return { data: record, version: 1 };
        });
      }),
    delete: (id, how, opts) => deleteLive(ctx, publicKeyKind, id, how, opts),
    deleteAll: (how, opts) => deleteAllLive(ctx, publicKeyKind, how, opts),
  };
}
