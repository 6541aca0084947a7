/**
 * Legacy data file names per store, newest first (spec records.md §8). Upstream's Helm hook
 * copied an older file to the newer name only when the newer one was missing, so the newest
 * name present holds the current data and older ones are stale copies.
 */
import type { Collection } from "../records.ts";

export const LEGACY_FILES: { readonly [C in Collection]: readonly string[] } = Object.freeze({
  public_keys: ["v2_public_keys.json"],
  deleted_public_keys: ["v3_deleted_public_keys.json"],
  recipes: ["v2.2_recipes.json", "v2.1_recipes.json", "v2_recipes.json"],
  deleted_recipes: ["v3.2_deleted_recipes.json", "v3.1_deleted_recipes.json", "v3_deleted_recipes.json"],
  images: ["v2.1_images.json", "v2_images.json"],
  deleted_images: ["v3.1_deleted_images.json", "v3_deleted_images.json"],
  jobs: ["v2.4_jobs.json", "v2.2_jobs.json", "v2.1_jobs.json", "v2_jobs.json"],
  remote_build_nodes: ["v2.0_remote_build_nodes.json"],
});

/** Every file name a migration reads (the CLI reads only these from the directory). */
export const ALL_LEGACY_FILES: readonly string[] = Object.values(LEGACY_FILES).flat();

/** The newest file name present for a store, or undefined (an absent file is an empty store). */
export const pickFile = (collection: Collection, present: (name: string) => boolean): string | undefined =>
  LEGACY_FILES[collection].find(present);
