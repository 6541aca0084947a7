/**
 * Shared wiring for the job end-to-end tests: a core on the memory (or a given) store and local
 * artifacts, the real templates renderer, and the real Kubernetes adapter against the fake API
 * server. Named *.test.ts so the core's purity rule (no @ims/templates in src) leaves it alone;
 * it holds no tests itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createJobRenderer } from "@ims/templates";
import { openFixture, type Fixture } from "../../adapters/test-fixture.ts";
import { openKubernetesCluster } from "../../adapters/kubernetes/index.ts";
import { FakeKube, writeKubeconfig } from "../../adapters/kubernetes/test-server.ts";
import type { Cluster } from "../cluster.ts";
import type { Logger } from "../context.ts";
import type { ImsDeps } from "../service.ts";
import type { Job } from "../records.ts";
import type { JobsConfig } from "./config.ts";

export const NS = "ims";
export const PLURALS = ["configmaps", "services", "jobs", "persistentvolumeclaims", "destinationrules", "secrets"] as const;

export interface LogLine {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

export interface JobsHarness {
  f: Fixture;
  kube: FakeKube;
  cluster: Cluster;
  logs: LogLine[];
  clock: { ms: number };
  keyId: string;
  /** Recipe with an archive in S3 (kiwi-ng unless given). */
  recipe(opts?: { arch?: "x86_64" | "aarch64"; recipe_type?: "kiwi-ng" | "packer"; require_dkms?: boolean; link?: boolean }): Promise<string>;
  image(opts?: { arch?: "x86_64" | "aarch64"; manifest?: unknown }): Promise<string>;
  /** Names of the objects of `plural` in the job namespace. */
  names(plural: (typeof PLURALS)[number], ns?: string): Promise<string[]>;
  posts(): number;
  jobs(): Promise<Job[]>;
  cleanup(): Promise<void>;
}

export interface HarnessOptions extends Partial<ImsDeps> {
  /** false: no cluster configured at all. */
  withCluster?: boolean;
  withRenderer?: boolean;
  /** Seed the signing key Secret (default true). */
  signingKey?: boolean;
  jobs?: Partial<JobsConfig>;
}

export async function openJobsHarness(o: HarnessOptions = {}): Promise<JobsHarness> {
  const tmp = mkdtempSync(join(tmpdir(), "ims-jobs-"));
  const kube = new FakeKube();
  const { yaml } = writeKubeconfig(tmp, { server: kube.url });
  const cluster = openKubernetesCluster({ kubeconfigYaml: yaml, sleep: async () => {}, log: () => {} });
  const logs: LogLine[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void logs.push({ level, msg, fields });
  const log: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  const clock = { ms: Date.UTC(2024, 5, 1, 12, 0, 0) };
  const f = await openFixture({
    log,
    clock: { now: () => new Date(clock.ms) },
    ...(o.withCluster === false ? {} : { cluster }),
    ...(o.withRenderer === false ? {} : { renderer: createJobRenderer() }),
    ...o,
  });
  if (o.signingKey !== false) {
    kube.seed("services", { apiVersion: "v1", kind: "Secret", metadata: { name: "hpe-signing-key", namespace: "services" }, type: "Opaque", data: { "private.key": btoa("k") } });
  }
  const keyId = (await f.ims.publicKeys.create({ name: "me", public_key: "ssh-ed25519 AAAAC3Nz me@host" })).data.id;
  let n = 0;
  return {
    f,
    kube,
    cluster,
    logs,
    clock,
    keyId,
    async recipe(r = {}) {
      const path = `s3://ims/recipes/r${++n}/recipe.tar.gz`;
      await f.put(path, `recipe ${n}`);
      const { link, ...fields } = r;
      return (await f.ims.recipes.create({
        name: `recipe-${n}`,
        recipe_type: "kiwi-ng",
        linux_distribution: "sles15",
        template_dictionary: [{ key: "CSM_RELEASE_VERSION", value: "1.6.0" }],
        ...(link === false ? {} : { link: { path, etag: "", type: "s3" } }),
        ...fields,
      })).data.id;
    },
    async image(i = {}) {
      const manifest = await f.putImage(`img${++n}`, i.manifest === undefined ? {} : { manifest: i.manifest });
      return (await f.ims.images.create({ name: `image-${n}`, link: manifest, ...(i.arch ? { arch: i.arch } : {}) })).data.id;
    },
    names: (plural, ns = NS) => listNames(kube, plural, ns),
    posts: () => kube.requests.filter((r) => r.method === "POST").length,
    jobs: async () => (await f.ims.jobs.list()).map((s) => s.data),
    async cleanup() {
      await f.cleanup();
      kube.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Names the fake API server holds, read through its list endpoint. */
async function listNames(kube: FakeKube, plural: string, ns: string): Promise<string[]> {
  const list = (await (await fetch(kube.collectionUrl(plural, ns))).json()) as { items: { metadata: { name: string } }[] };
  return list.items.map((i) => i.metadata.name).sort();
}

/** The ImsError a promise rejects with. */
export const failure = (p: Promise<unknown>) =>
  p.then(
    () => Promise.reject(new Error("expected a failure")),
    (e: { kind: string; detail: string; errors?: unknown }) => e,
  );

export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
