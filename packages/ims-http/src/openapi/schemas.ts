/**
 * The core's TypeBox schemas under the names the route table and the OpenAPI document use.
 * The HTTP layer never validates with them: the core does (marshmallow rules).
 */
import { Type, type TSchema } from "@sinclair/typebox";
import * as core from "@ims/core";

export const SCHEMAS = {
  PublicKey: core.PublicKey,
  PublicKeyCreate: core.PublicKeyCreate,
  DeletedPublicKey: core.DeletedPublicKey,
  Recipe: core.Recipe,
  RecipeCreate: core.RecipeCreate,
  RecipePatch: core.RecipePatch,
  DeletedRecipe: core.DeletedRecipe,
  Image: core.Image,
  ImageCreate: core.ImageCreate,
  ImagePatch: core.ImagePatch,
  DeletedImage: core.DeletedImage,
  Job: core.Job,
  JobCreate: core.JobCreate,
  JobPatch: core.JobPatch,
  Undelete: core.Undelete,
  RemoteBuildNode: core.RemoteBuildNode,
  RemoteBuildNodeCreate: core.RemoteBuildNodeCreate,
  RemoteNodeStatus: core.RemoteNodeStatus,
  Operation: core.Operation,
  Problem: core.Problem,
  // A job dry run's answer: the record (by reference) and the objects, which Kubernetes describes.
  JobDryRun: Type.Object(
    {
      job: Type.Unsafe({ $ref: "#/components/schemas/Job" }),
      objects: Type.Array(
        Type.Object(
          { apiVersion: Type.String(), kind: Type.String(), metadata: Type.Object({ name: Type.String(), namespace: Type.String() }, { additionalProperties: true }) },
          { additionalProperties: true, description: "A Kubernetes object as it would be sent to the API server" },
        ),
        { description: "In creation order: ConfigMap, Service, Job, PersistentVolumeClaim, DestinationRule (the signing key Secret is copied from the cluster and not shown)" },
      ),
      warnings: Type.Array(Type.String(), { description: "Fields Kubernetes does not know and would drop, as Kind/name: field path" }),
    },
    { additionalProperties: false },
  ),
  // Health and version bodies are HTTP-only, so they are defined here.
  Empty: Type.Object({}),
  Version: Type.Object({ version: Type.String() }),
  // The data line of a /v3/events event (also HTTP-only).
  Event: Type.Object(
    {
      collection: Type.Optional(Type.Union(core.EVENT_COLLECTIONS.map((c) => Type.Literal(c)), { description: "The kind of record (absent on a gap)" })),
      id: Type.Optional(Type.String({ description: "The record's id (an operation's own id for operations; a node's xname)" })),
      change: Type.Union([...core.CHANGE_KINDS, "gap" as const].map((c) => Type.Literal(c)), {
        description:
          "created, updated, deleted (v2: gone; v3: moved to /v3/deleted, the record is the deleted one), undeleted, purged; " +
          "for operations their state: pending, done, failed; gap: a Last-Event-ID from before the retention window (or unknown here), some changes were missed",
      }),
      version: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: "The record's ETag after the change (for a delete: its last); null for operations" })),
      time: Type.Optional(Type.String({ format: "date-time", description: "When the change was committed (UTC)" })),
      record_id: Type.Optional(Type.String({ description: "Operations: the id of the record the work is for" })),
      record: Type.Optional(
        Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
          description: "The record as GET answers it (operations: as /v3/operations shows them); null when gone, or over 16 KiB (GET it then)",
        }),
      ),
      after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "A gap: the Last-Event-ID that was asked for" })),
      reason: Type.Optional(Type.Union([Type.Literal("pruned"), Type.Literal("unknown")], { description: "A gap: pruned (older than the retention window) or unknown (not an id of this log)" })),
    },
    { additionalProperties: false },
  ),
} satisfies Record<string, TSchema>;

export type SchemaName = keyof typeof SCHEMAS;
