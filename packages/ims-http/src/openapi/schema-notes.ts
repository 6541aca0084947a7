/**
 * What the document says about a schema beyond the core's TypeBox schema, which drives request
 * validation and so stays as it is: rules the core checks outside the schema walker (links.ts,
 * jobs/input.ts, requireInput), bounds of answered integers, and the shapes craycli builds
 * `cray ims` options from, written as upstream's document writes them.
 */
type Json = Record<string, any>;

/** links.ts refOf: s3:// (any case), a bucket, a key; anything else is a 422 when the link is used. */
const S3_PATH = "^[Ss]3://[^/?#]+/[^#]+$";
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const uint = (s: Json) => Object.assign(s, { minimum: 0 });

/** Request bodies: an empty object is a 400 (requireInput), so a body with no required field needs one property. */
const nonEmpty = (s: Json) => Object.assign(s, { minProperties: 1 });

function link(s: Json | undefined): void {
  if (!s?.properties) return;
  Object.assign(s.properties.path, { pattern: S3_PATH, description: "s3://<bucket>/<key> of the artifact; no '.' or '..' segments" });
  // Upstream lists `type` as a plain string, so `--link-type` takes text; the service answers 422 for anything but s3.
  const { enum: _only, ...type } = s.properties.type;
  s.properties.type = { ...type, pattern: "^s3$", description: "Where the artifact is kept: s3 (the only type)" };
}

/**
 * craycli sends a property's (truthy) `default` whenever its option is left out. Upstream's
 * document lists no default for these, so `cray ims ... create` sends nothing and the service
 * applies its own: say so in words instead.
 */
function serverDefaults(s: Json, names: string[]): void {
  for (const name of names) {
    const { default: value, ...rest } = s.properties[name];
    s.properties[name] = { ...rest, description: `${rest.description ? `${rest.description}; ` : ""}${String(value)} when left out` };
  }
}

const NOTES: Record<string, (s: Json) => void> = {
  RecipeCreate: (s) => (link(s.properties.link), serverDefaults(s, ["arch", "require_dkms"])),
  RecipePatch: (s) => (link(s.properties.link), nonEmpty(s)),
  ImageCreate: (s) => {
    link(s.properties.link);
    serverDefaults(s, ["arch"]);
    // Upstream's documented form, which `cray ims images create --metadata-key K --metadata-value V` sends.
    Object.assign(s.properties.metadata, {
      description: 'String key-value annotations; {"key": K, "value": V} is taken as {K: V}, as upstream does',
      properties: { key: { type: "string", description: "Annotation name" }, value: { type: "string", description: "Annotation value" } },
    });
  },
  ImagePatch: (s) => (link(s.properties.link), nonEmpty(s)),
  JobCreate: (s) => {
    // jobs/input.ts: more than one container (after the defaults) is a 400.
    Object.assign(s.properties.ssh_containers, { maxItems: 1 });
    for (const k of ["build_env_size", "job_mem_size"]) Object.assign(s.properties[k], { maximum: MAX_SAFE });
  },
  JobPatch: nonEmpty,
  // Not `required`, as upstream: `cray ims deleted ... update --operation` stays optional. With no
  // other property allowed and at least one needed, `operation` is required all the same.
  Undelete: (s) => {
    delete s.required;
    nonEmpty(s);
  },
  Job: (s) => {
    for (const k of ["build_env_size", "job_mem_size"]) Object.assign(s.properties[k], { minimum: 1, maximum: MAX_SAFE });
    const conn = s.properties.ssh_containers.items.properties.connection_info.additionalProperties;
    Object.assign(conn.properties.port, { minimum: 1, maximum: 65535 });
  },
  RemoteNodeStatus: (s) => uint(s.properties.numCurrentJobs),
  Operation: (s) => (uint(s.properties.nextStep), uint(s.properties.attempts)),
  Problem: (s) => Object.assign(s.properties.status, { minimum: 400, maximum: 599 }),
};

/** The document's copy of a converted schema, with the notes for `name` applied. */
export function withNotes(name: string, schema: Json): Json {
  const copy = structuredClone(schema);
  NOTES[name]?.(copy);
  return copy;
}
