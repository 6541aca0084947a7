/**
 * Where template text comes from. An operator directory mirrors the built-in layout
 * (<kind path>/<object>.yaml.hbs); any file it lacks falls back to the built-in one, which
 * is part of the code (builtin.ts), not a file read at run time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_TEMPLATES } from "./builtin.ts";
import { templateFault } from "./errors.ts";
import type { JobKind } from "./params.ts";

export const OBJECT_NAMES = ["configmap", "service", "job", "pvc", "destinationRule"] as const;
export type ObjectName = (typeof OBJECT_NAMES)[number];

export const KIND_PATHS: Readonly<Record<JobKind, string>> = {
  "create-kiwi-ng": "create/kiwi-ng",
  "create-packer": "create/packer",
  customize: "customize",
};

const FILE_NAMES: Readonly<Record<ObjectName, string>> = {
  configmap: "configmap.yaml.hbs",
  service: "service.yaml.hbs",
  job: "job.yaml.hbs",
  pvc: "pvc.yaml.hbs",
  destinationRule: "destinationrule.yaml.hbs",
};

export function templateRelativePath(kind: JobKind, object: ObjectName): string {
  return join(KIND_PATHS[kind], FILE_NAMES[object]);
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw templateFault(path, `cannot read: ${(e as Error).message}`, e);
  }
}

export interface TemplateSource {
  file: string;
  source: string;
}

export function loadTemplate(kind: JobKind, object: ObjectName, templateDir?: string): TemplateSource {
  const rel = templateRelativePath(kind, object);
  if (templateDir !== undefined) {
    const file = join(templateDir, rel);
    const source = readIfPresent(file);
    if (source !== undefined) return { file, source };
  }
  return { file: `built-in ${rel}`, source: builtinTemplate(kind, object) };
}

/** The text of a built-in template. */
export const builtinTemplate = (kind: JobKind, object: ObjectName): string => BUILTIN_TEMPLATES[kind][object];
