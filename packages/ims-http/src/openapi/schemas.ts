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
} satisfies Record<string, TSchema>;

export type SchemaName = keyof typeof SCHEMAS;
