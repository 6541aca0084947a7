/**
 * Turns rendered text into one object and proves it is the object we meant to create:
 * exactly one YAML document, a mapping, with the expected apiVersion, kind, name and
 * namespace. Parameters cannot change the shape (they are quoted), so a mismatch here
 * is always the template's fault.
 */
import { templateFault } from "./errors.ts";

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface Expected {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseSingleObject(text: string, expected: Expected, file: string): KubeObject {
  let doc: unknown;
  try {
    doc = Bun.YAML.parse(text);
  } catch (e) {
    throw templateFault(file, `rendered text is not YAML: ${(e as Error).message}`, e);
  }
  // Bun.YAML.parse returns an array for a multi-document stream, so this also
  // rejects extra documents (and a lone top-level sequence, equally wrong).
  if (!isMapping(doc)) throw templateFault(file, "must render exactly one YAML mapping document");
  const meta = doc.metadata;
  const got = {
    apiVersion: doc.apiVersion,
    kind: doc.kind,
    name: isMapping(meta) ? meta.name : undefined,
    namespace: isMapping(meta) ? meta.namespace : undefined,
  };
  for (const key of ["apiVersion", "kind", "name", "namespace"] as const) {
    if (got[key] !== expected[key]) {
      throw templateFault(file, `${key} is ${JSON.stringify(got[key])}, expected ${JSON.stringify(expected[key])}`);
    }
  }
  return doc as KubeObject;
}
