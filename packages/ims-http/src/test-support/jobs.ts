/**
 * In-process rig for the job routes: the real core on the memory store and a temp-dir artifact
 * store, the real renderer, and the real Kubernetes adapter talking to FakeKube. Also places
 * recipe archives and image manifests where the service looks for them. Test-only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { COLLECTIONS, createIms, type ImsService } from "@ims/core";
import { openKubernetesCluster } from "@ims/core/kubernetes";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openMemoryStore } from "@ims/core/memory";
import { createJobRenderer } from "@ims/templates";
import { FakeKube, writeKubeconfig } from "@ims/core/test-support";
import { createApp } from "../app.ts";
import { send, type SendBody } from "./send.ts";

export const NS = "ims";
export const PLURALS = ["configmaps", "services", "jobs", "persistentvolumeclaims", "destinationrules", "secrets"] as const;
export type Plural = (typeof PLURALS)[number];

export const ROOTFS_TYPE = "application/vnd.cray.image.rootfs.squashfs";

/** Writes s3://bucket/key as a file of a local artifact store rooted at `dir`. */
export function placeArtifact(dir: string, path: string, body: string): void {
  const file = join(dir, path.replace(/^s3:\/\//, ""));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}

/** A manifest listing one rootfs (plus a kernel), all placed under s3://boot-images/<prefix>/. */
export function placeImage(dir: string, prefix: string): { path: string; type: "s3" } {
  const at = (name: string) => `s3://boot-images/${prefix}/${name}`;
  placeArtifact(dir, at("rootfs"), `rootfs of ${prefix}`);
  placeArtifact(dir, at("kernel"), `kernel of ${prefix}`);
  const manifest = {
    version: "1.0",
    created: "2024-01-01 00:00:00",
    artifacts: [
      { type: ROOTFS_TYPE, md5: "0123456789abcdef0123456789abcdef", link: { path: at("rootfs"), etag: "", type: "s3" } },
      { type: "application/vnd.cray.image.kernel", md5: "m2", link: { path: at("kernel"), etag: "", type: "s3" } },
    ],
  };
  placeArtifact(dir, at("manifest.json"), JSON.stringify(manifest));
  return { path: at("manifest.json"), type: "s3" };
}

/** Names of the objects of every kind FakeKube holds in `ns`, read through its list API (`init`: TLS for HTTPS). */
export async function kubeObjects(kube: FakeKube, ns = NS, init?: RequestInit): Promise<Record<Plural, string[]>> {
  const out = {} as Record<Plural, string[]>;
  for (const plural of PLURALS) {
    const res = await fetch(kube.collectionUrl(plural, ns), init);
    const list = (await res.json()) as { items: { metadata: { name: string } }[] };
    out[plural] = list.items.map((i) => i.metadata.name).sort();
  }
  return out;
}

/** The objects of one job as the templates name them (jobs.md §5). */
export const objectsOf = (id: string, type: "create" | "customize"): Record<Plural, string[]> => ({
  configmaps: [`cray-ims-${id}-configmap`],
  services: [`cray-ims-${id}-service`],
  jobs: [`cray-ims-${id}-${type}`],
  persistentvolumeclaims: [`cray-ims-${id}-job-claim`],
  destinationrules: [`cray-ims-${id}-service`],
  secrets: [`cray-ims-${id}-signing-keys`],
});

export const NO_OBJECTS: Record<Plural, string[]> = Object.fromEntries(PLURALS.map((p) => [p, []])) as unknown as Record<Plural, string[]>;

/** The signing key every job gets a copy of (jobs.md §5, Secret row). */
export const seedSigningKey = (kube: FakeKube) =>
  kube.seed("services", { apiVersion: "v1", kind: "Secret", metadata: { name: "hpe-signing-key", namespace: "services" }, type: "Opaque", data: { key: btoa("k") } });

export async function jobsRig(opts: { cluster?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ims-http-jobs-"));
  const artifactsDir = join(dir, "artifacts");
  const kube = new FakeKube();
  seedSigningKey(kube);
  const { yaml } = writeKubeconfig(dir, { server: kube.url });
  // No retry sleeps, and adapter warnings stay out of the test output.
  const cluster = openKubernetesCluster({ kubeconfigYaml: yaml, sleep: async () => {}, log: () => {} });
  const store = openMemoryStore();
  const artifacts = await openLocalArtifacts({ dir: artifactsDir });
  // A settable clock, so the age filter can be tested without waiting.
  const clock = { ms: Date.UTC(2024, 5, 1, 12, 0, 0) };
  const ims = createIms({ store, artifacts, clock: { now: () => new Date(clock.ms) }, renderer: createJobRenderer(), ...(opts.cluster === false ? {} : { cluster }) });
  const app = createApp({ ims: ims as ImsService, version: "test-version" });
  const call = (method: string, path: string, body?: SendBody, headers?: Record<string, string>) => send(app, method, path, body, headers);
  let n = 0;

  /** POSTs and checks a 201; returns the new id. */
  const created = async (path: string, body: unknown): Promise<string> => {
    const res = await call("POST", path, body);
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${res.text}`);
    return res.body.id;
  };

  return {
    app, ims, store, artifacts, artifactsDir, kube, clock, call,
    publicKey: () => created("/v3/public-keys", { name: "me", public_key: "ssh-ed25519 AAAAC3Nz me@host" }),
    /** A kiwi-ng recipe with its archive at s3://ims/recipes/r<n>/recipe.tar.gz, or without a link. */
    recipe(o: { link?: boolean } = {}) {
      const path = `s3://ims/recipes/r${++n}/recipe.tar.gz`;
      placeArtifact(artifactsDir, path, `recipe ${n}`);
      const link = o.link === false ? {} : { link: { path, etag: "", type: "s3" } };
      return created("/v3/recipes", { name: `recipe-${n}`, recipe_type: "kiwi-ng", linux_distribution: "sles15", template_dictionary: [{ key: "K", value: "V" }], ...link });
    },
    /** An image with a manifest and rootfs, or without a link. */
    image(o: { link?: boolean } = {}) {
      const link = o.link === false ? {} : { link: placeImage(artifactsDir, `img${++n}`) };
      return created("/v3/images", { name: `image-${n}`, ...link });
    },
    /** The body of a create job from a fresh recipe, built with `publicKeyId`, with `over` on top. */
    async createBody(publicKeyId: string, over: Record<string, unknown> = {}) {
      return { job_type: "create", artifact_id: await this.recipe(), public_key_id: publicKeyId, image_root_archive_name: "my-image", ...over };
    },
    objects: (ns?: string) => kubeObjects(kube, ns),
    posts: () => kube.requests.filter((r) => r.method === "POST").length,
    /** Every record of every collection with its version: equal snapshots mean nothing was written. */
    snapshot: async () => JSON.stringify(await Promise.all(COLLECTIONS.map((c) => store.list(c)))),
    async close() {
      await ims.worker.stop();
      await store.close();
      kube.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type JobsRig = Awaited<ReturnType<typeof jobsRig>>;
