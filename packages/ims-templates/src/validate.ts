/**
 * Checks every parameter up front and builds the view the templates see.
 * Wrong types and lone UTF-16 surrogates are rejected here (bad_input), so a template
 * failure later can only be the template's fault.
 */
import { badInput } from "./errors.ts";
import {
  DEFAULT_JOB_IMAGES,
  JOB_TEMPLATE_DEFAULTS,
  type ContainerImage,
  type JobImages,
  type JobKind,
  type JobTemplateParams,
  type JobTemplateView,
  type TemplateDictionaryEntry,
} from "./params.ts";

const TEXT_FIELDS = [
  "download_url",
  "download_md5sum",
  "public_key",
  "image_root_archive_name",
  "kernel_filename",
  "initrd_filename",
  "kernel_parameters_filename",
  "address_pool",
  "hostname",
  "s3_bucket",
  "runtime_class",
  "service_account",
  "remote_build_node",
] as const;

const FLAG_FIELDS = ["enable_debug", "ssh_jail", "job_enable_dkms", "security_privilege"] as const;

/** Quantities in GiB; Kubernetes needs them positive. */
const GIB_FIELDS = ["size_gb", "limit_gb", "pvc_gb", "job_mem_size", "job_mem_limit"] as const;

const OPTIONAL_TEXT_FIELDS = Object.keys(JOB_TEMPLATE_DEFAULTS) as (keyof typeof JOB_TEMPLATE_DEFAULTS)[];

const IMAGE_KEYS = Object.keys(DEFAULT_JOB_IMAGES) as (keyof JobImages)[];
const PULL_POLICIES = new Set(["Always", "IfNotPresent", "Never"]);

/** Object names embed id and namespace: keep them to DNS label characters. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function text(field: string, value: unknown): string {
  if (typeof value !== "string") throw badInput(field, "must be a string");
  // Lone surrogates cannot be written as UTF-8 and break the YAML parser.
  if (!value.isWellFormed()) throw badInput(field, "contains a lone UTF-16 surrogate");
  return value;
}

function flag(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw badInput(field, "must be a boolean");
  return value;
}

function count(field: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw badInput(field, `must be an integer >= ${min}`);
  }
  return value;
}

function dnsLabel(field: string, value: unknown): string {
  const s = text(field, value);
  if (!DNS_LABEL.test(s)) throw badInput(field, "must be a lower-case DNS label");
  return s;
}

function record(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badInput(field, "must be an object");
  return value as Record<string, unknown>;
}

function list(field: string, value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) throw badInput(field, "must be an array");
  return value;
}

function image(field: string, value: unknown): ContainerImage {
  const o = record(field, value);
  const repository = text(`${field}.repository`, o.repository);
  const tag = text(`${field}.tag`, o.tag);
  if (repository === "") throw badInput(`${field}.repository`, "must not be empty");
  if (tag === "") throw badInput(`${field}.tag`, "must not be empty");
  const pull_policy = text(`${field}.pull_policy`, o.pull_policy);
  if (!PULL_POLICIES.has(pull_policy)) throw badInput(`${field}.pull_policy`, "must be Always, IfNotPresent or Never");
  return Object.freeze({ repository, tag, pull_policy: pull_policy as ContainerImage["pull_policy"] });
}

function images(value: unknown): Readonly<JobImages> {
  if (value === undefined) return DEFAULT_JOB_IMAGES;
  const given = record("images", value);
  const out = {} as JobImages;
  for (const key of IMAGE_KEYS) {
    out[key] = given[key] === undefined ? DEFAULT_JOB_IMAGES[key] : image(`images.${key}`, given[key]);
  }
  return Object.freeze(out);
}

function dictionary(kind: JobKind, value: unknown): readonly TemplateDictionaryEntry[] {
  if (kind === "customize") return Object.freeze([]); // customize templates have no use for it
  if (value === undefined) throw badInput("template_dictionary", "is required for create jobs");
  return Object.freeze(
    list("template_dictionary", value).map((entry, i) => {
      const field = `template_dictionary[${i}]`;
      const o = record(field, entry);
      return Object.freeze({ key: text(`${field}.key`, o.key), value: text(`${field}.value`, o.value) });
    }),
  );
}

function recipeType(kind: JobKind, value: unknown): void {
  if (value === undefined) return;
  const expected = kind === "create-kiwi-ng" ? "kiwi-ng" : kind === "create-packer" ? "packer" : undefined;
  if (value !== expected) throw badInput("recipe_type", `does not fit job kind ${kind}`);
}

/** Returns the frozen, fully-populated view; throws TemplateError("bad_input") on any bad value. */
export function buildView(kind: JobKind, params: JobTemplateParams): JobTemplateView {
  const p = record("params", params);
  const view: Record<string, unknown> = {
    id: dnsLabel("id", p.id),
    namespace: dnsLabel("namespace", p.namespace),
  };
  for (const f of TEXT_FIELDS) view[f] = text(f, p[f]);
  for (const f of FLAG_FIELDS) view[f] = flag(f, p[f]);
  for (const f of GIB_FIELDS) view[f] = count(f, p[f], 1);
  for (const f of OPTIONAL_TEXT_FIELDS) view[f] = p[f] === undefined ? JOB_TEMPLATE_DEFAULTS[f] : text(f, p[f]);
  view.remote_heartbeat_timeout_count = count("remote_heartbeat_timeout_count", p.remote_heartbeat_timeout_count, 0);
  if (p.job_arch !== "x86_64" && p.job_arch !== "aarch64") throw badInput("job_arch", "must be x86_64 or aarch64");
  view.job_arch = p.job_arch;
  view.security_capabilities = Object.freeze(
    list("security_capabilities", p.security_capabilities).map((c, i) => {
      const s = text(`security_capabilities[${i}]`, c);
      if (!/^[A-Z_]+$/.test(s)) throw badInput(`security_capabilities[${i}]`, "must be a capability name");
      return s;
    }),
  );
  view.template_dictionary = dictionary(kind, p.template_dictionary);
  recipeType(kind, p.recipe_type);
  view.images = images(p.images);
  return Object.freeze(view) as unknown as JobTemplateView;
}
