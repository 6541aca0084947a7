/**
 * A create's 201 body as upstream writes it: flask-restful's `json.dumps` of the marshmallow
 * dump, so members come in the schema's field order (inherited fields first), not sorted as
 * jsonify sorts GET and PATCH answers. Fields upstream does not know follow, sorted.
 */
import type { SchemaName } from "../openapi/schemas.ts";

/** Field order of one object, and the shapes of nested objects (or of each list item / map value). */
interface Shape {
  order: string[];
  nested?: Record<string, Shape>;
}

const LINK: Shape = { order: ["path", "etag", "type"] };
const SSH_CONTAINER: Shape = {
  order: ["name", "jail", "status", "connection_info"],
  // Upstream fills connection_info in this order.
  nested: { connection_info: { order: ["customer_access", "cluster.local"], nested: { "*": { order: ["host", "port"] } } } },
};

const SHAPES: Partial<Record<SchemaName, Shape>> = {
  PublicKey: { order: ["name", "public_key", "id", "created"] },
  Recipe: {
    order: ["name", "link", "recipe_type", "linux_distribution", "template_dictionary", "require_dkms", "arch", "id", "created"],
    nested: { link: LINK, template_dictionary: { order: ["key", "value"] } },
  },
  Image: { order: ["name", "link", "arch", "metadata", "id", "created"], nested: { link: LINK } },
  RemoteBuildNode: { order: ["xname"] },
  Job: {
    order: [
      "artifact_id", "public_key_id", "job_type", "image_root_archive_name", "enable_debug", "build_env_size",
      "kernel_file_name", "initrd_file_name", "kernel_parameters_file_name", "ssh_containers", "require_dkms",
      "job_mem_size", "id", "created", "kubernetes_job", "kubernetes_service", "kubernetes_configmap",
      "kubernetes_namespace", "status", "resultant_image_id", "arch", "kubernetes_pvc", "remote_build_node",
      "kubernetes_secret",
    ],
    nested: { ssh_containers: SSH_CONTAINER },
  },
};

function ordered(value: unknown, shape: Shape | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, shape));
  if (value === null || typeof value !== "object" || !shape) return value;
  const o = value as Record<string, unknown>;
  const keys = [...shape.order.filter((k) => Object.hasOwn(o, k)), ...Object.keys(o).filter((k) => !shape.order.includes(k)).sort()];
  // A Map keeps this order even for integer-like keys (python-json's pyDumps writes it as is).
  return new Map(keys.map((k) => [k, ordered(o[k], shape.nested?.[k] ?? shape.nested?.["*"])]));
}

/** The record with members in upstream's dump order for `schema` (Maps, for pyDumps). */
export const inDumpOrder = (schema: SchemaName | undefined, record: unknown): unknown => ordered(record, schema ? SHAPES[schema] : undefined);
