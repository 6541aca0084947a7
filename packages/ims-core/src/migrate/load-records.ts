/**
 * Load rules for public keys, recipes, images and remote build nodes (spec records.md §3-§8):
 * the same defaults upstream's schemas apply when they read their data files.
 */
import type { Deleted, Image, PublicKey, Recipe, RemoteBuildNode } from "../records.ts";
import { bool, type Fields, oneOf, str, time, uuid } from "./fields.ts";
import { archOf, linkOf, stringMap } from "./load-common.ts";

/** Adds `deleted` for the deleted_* stores. */
const withDeleted = <T extends object>(f: Fields, record: T, deleted: boolean): T =>
  deleted ? { ...record, deleted: f.need("deleted", time) } : record;

export function loadPublicKey(f: Fields, deleted: boolean): PublicKey | Deleted<PublicKey> {
  const record: PublicKey = {
    id: f.need("id", uuid),
    created: f.need("created", time),
    name: f.need("name", str),
    public_key: f.need("public_key", str),
  };
  return withDeleted(f, record, deleted);
}

const recipeType = oneOf(["kiwi-ng", "packer"] as const);
const distribution = oneOf(["sles12", "sles15", "centos7"] as const);

export function loadRecipe(f: Fields, deleted: boolean): Recipe | Deleted<Recipe> {
  const record: Recipe = {
    id: f.need("id", uuid),
    created: f.need("created", time),
    name: f.need("name", str),
    link: linkOf(f),
    recipe_type: f.need("recipe_type", recipeType),
    linux_distribution: f.need("linux_distribution", distribution),
    // Upstream fills [] for a missing dictionary on live recipes only; deleted ones stay null.
    template_dictionary: templateDictionary(f, deleted ? null : []),
    require_dkms: f.get("require_dkms", bool, { value: true }),
    arch: archOf(f),
  };
  return withDeleted(f, record, deleted);
}

function templateDictionary(f: Fields, missing: [] | null): Recipe["template_dictionary"] {
  if (f.value("template_dictionary") === undefined) return missing;
  const entries = f.list("template_dictionary");
  return entries ? entries.map((e) => ({ key: e.need("key", str), value: e.need("value", str) })) : null;
}

export function loadImage(f: Fields, deleted: boolean): Image | Deleted<Image> {
  const record: Image = {
    id: f.need("id", uuid),
    created: f.need("created", time),
    name: f.need("name", str),
    link: linkOf(f),
    arch: archOf(f),
    metadata: stringMap(f, "metadata"),
  };
  return withDeleted(f, record, deleted);
}

export const loadRemoteBuildNode = (f: Fields): RemoteBuildNode => ({ xname: f.need("xname", str) });
