/**
 * The dry run's check of rendered objects, as the API server would see them: each against its
 * kind's schema (a violation is an error: the object would be refused), and fields Kubernetes
 * does not know (a warning: they would be dropped without a word, typically a misspelt name).
 */
import type { KubeObject, ObjectCheck } from "@ims/core";

let schemas: Promise<typeof import("./k8s-schemas.ts")> | undefined;

export async function checkObjects(objects: readonly KubeObject[]): Promise<ObjectCheck> {
  const { SCHEMAS, unknownFields } = await (schemas ??= import("./k8s-schemas.ts"));
  const out: ObjectCheck = { errors: {}, warnings: [] };
  for (const object of objects) {
    const name = `${object.kind}/${object.metadata?.name}`;
    const schema = SCHEMAS[`${object.apiVersion}/${object.kind}`];
    if (!schema) {
      out.errors[name] = [`no schema for ${object.apiVersion} ${object.kind}: IMS cannot create this kind`];
      continue;
    }
    const problems = schema.validate(object).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    if (problems.length) out.errors[name] = [...new Set(problems)];
    if (!schema.model) continue;
    for (const field of fieldsUnknown(unknownFields, object, schema.model)) out.warnings.push(`${name}: ${field} is not a field Kubernetes knows; it would be dropped`);
  }
  return out;
}

/** A value the serializer cannot take (a schema error, reported above) leaves nothing to compare. */
function fieldsUnknown(find: (o: unknown, model: string) => string[], object: unknown, model: string): string[] {
  try {
    return find(object, model);
  } catch {
    return [];
  }
}
