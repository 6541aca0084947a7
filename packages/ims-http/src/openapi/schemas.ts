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
  // Health and version bodies are HTTP-only, so they are defined here.
  Empty: Type.Object({}),
  Version: Type.Object({ version: Type.String() }),
} satisfies Record<string, TSchema>;

export type SchemaName = keyof typeof SCHEMAS;
