/**
 * The messages upstream's marshmallow schemas give for particular fields (their validators'
 * `error=` texts, src/server/models/*.py), keyed by our schema and field; every other field
 * gets marshmallow's built-in message. Plus the checks we add where upstream has none.
 */
import type { TSchema } from "@sinclair/typebox";
import {
  ArtifactLinkInput, ImageCreate, JobCreate, JobPatch, PublicKeyCreate, RecipeCreate, RemoteBuildNodeCreate, Undelete,
} from "./schemas.ts";

export interface FieldRule {
  /** A failed minLength (upstream's Length(min=1, error=…)). */
  blank?: string;
  /** A value outside the choices (OneOf(…, error=…)); "{choices}" becomes the list. */
  choice?: string;
  /** A number below the minimum (Range(min=1, error=…)). */
  range?: string;
  /** A check upstream lacks: the message when the (otherwise valid) value is refused. */
  check?(value: unknown): string | undefined;
}

const NAME = "name field must not be blank";
const RECIPE_TYPE = "Recipe type must be one of: {choices}.";
const SIZE = "build_env_size must be greater than or equal to 1";
const blank = (field: string) => `${field} field must not be blank`;

/**
 * RFC 1123 host name: ssh is run with the xname as its destination, so "x1; rm -rf /" or a
 * leading "-" (an option to ssh) must never be stored.
 */
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
export function hostNameProblem(v: unknown): string | undefined {
  if (typeof v !== "string" || v === "") return undefined; // the schema's own message covers these
  const ok = v.length <= 253 && v.split(".").every((label) => HOST_LABEL.test(label));
  return ok
    ? undefined
    : "Not a valid host name: letters, digits and hyphens in dot-separated labels of at most 63 characters, no label starting or ending with a hyphen, at most 253 characters.";
}

/** Keyed by the field's own schema object, which every copy of its parent (T.Optional…) shares. */
const RULES = new Map<TSchema, FieldRule>();
function rules(parent: TSchema, byField: Record<string, FieldRule>): void {
  for (const [field, rule] of Object.entries(byField)) RULES.set((parent.properties as Record<string, TSchema>)[field]!, rule);
}

rules(ArtifactLinkInput, { path: { blank: NAME }, type: { choice: "Type must be one of: {choices}." } });
rules(PublicKeyCreate, { name: { blank: NAME }, public_key: { blank: blank("public_key") } });
rules(RecipeCreate, { name: { blank: NAME }, recipe_type: { choice: RECIPE_TYPE }, linux_distribution: { choice: RECIPE_TYPE } });
rules(ImageCreate, { name: { blank: NAME } });
rules(RemoteBuildNodeCreate, { xname: { blank: NAME, check: hostNameProblem } });
rules(Undelete, { operation: { choice: RECIPE_TYPE } });
rules(JobCreate, {
  job_type: { choice: "Job type must be one of: {choices}." },
  image_root_archive_name: { blank: blank("image_root_archive_name") },
  initrd_file_name: { blank: blank("initrd_file_name") },
  kernel_parameters_file_name: { blank: blank("kernel_parameters_file_name") },
  build_env_size: { range: SIZE },
  job_mem_size: { range: SIZE }, // sic: upstream reuses build_env_size's message
});
rules(JobPatch, { status: { choice: "Job state must be one of: {choices}." } });

export const ruleOf = (parent: TSchema, field: string): FieldRule | undefined =>
  RULES.get((parent.properties as Record<string, TSchema>)[field]!);
