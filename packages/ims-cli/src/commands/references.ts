/**
 * Every object IMS still needs: the links of live and deleted recipes and images, the artifacts
 * their manifests list, and the objects of artifact operations not yet done (a move in flight
 * must not lose its source or its target).
 */
import { linkedArtifacts, refOf, type ArtifactLink, type ArtifactStep, type ArtifactStore, type ObjectRef, type RecordStore } from "@ims/core";

export const refKey = (ref: ObjectRef) => `${ref.bucket}/${ref.key}`;

export interface References {
  /** "bucket/key" of every referenced object. */
  keys: Set<string>;
  /** Manifests that exist but could not be read: what they list is unknown. */
  unreadable: string[];
}

export async function findReferences(store: RecordStore, artifacts: ArtifactStore, maxManifestBytes: number, warn: (msg: string) => void): Promise<References> {
  const keys = new Set<string>();
  const unreadable: string[] = [];
  const add = (link: Pick<ArtifactLink, "path" | "type">): ObjectRef | undefined => {
    try {
      const ref = refOf(link);
      keys.add(refKey(ref));
      return ref;
    } catch {
      warn(`ignoring unusable link ${JSON.stringify(link.path)}`);
    }
  };
  for (const c of ["recipes", "deleted_recipes"] as const) {
    for (const { data } of await store.list(c)) if (data.link) add(data.link);
  }
  for (const c of ["images", "deleted_images"] as const) {
    for (const { data } of await store.list(c)) {
      const ref = data.link && add(data.link);
      if (!ref) continue;
      const manifest = await readManifest(artifacts, ref, maxManifestBytes);
      if (manifest === "unreadable") unreadable.push(data.link!.path);
      for (const a of (manifest !== "unreadable" && linkedArtifacts(manifest)) || []) add(a.link!);
    }
  }
  for (const op of await store.journal.list()) {
    if (op.state !== "done") for (const step of op.steps) for (const ref of stepRefs(step)) keys.add(refKey(ref));
  }
  return { keys, unreadable };
}

/** The parsed manifest; undefined when the object does not exist (it lists nothing). */
async function readManifest(artifacts: ArtifactStore, ref: ObjectRef, maxBytes: number): Promise<unknown> {
  const head = await artifacts.head(ref);
  if (!head) return undefined;
  if (head.size > maxBytes) return "unreadable";
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await artifacts.read(ref, maxBytes)));
  } catch {
    return "unreadable";
  }
}

const stepRefs = (step: ArtifactStep): ObjectRef[] => (step.op === "copy" ? [step.from, step.to] : [step.ref]);
