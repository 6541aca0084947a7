/**
 * A core wired to real local adapters for tests: the in-memory record store and a temp-dir
 * artifact store, with helpers to place image manifests and recipe archives.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIms, type Ims, type ImsDeps } from "../src/service.ts";
import type { ArtifactStore, RecordStore } from "../src/ports.ts";
import { openMemoryStore } from "./memory/index.ts";
import { openLocalArtifacts } from "./local-artifacts/index.ts";

export interface Fixture {
  ims: Ims;
  store: RecordStore;
  artifacts: ArtifactStore;
  dir: string;
  /** Writes rootfs/kernel/initrd objects and a manifest listing them; returns the manifest link. */
  putImage(prefix: string, opts?: { rootfs?: number; manifest?: unknown }): Promise<{ path: string; type: "s3" }>;
  put(path: string, body: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** With holdCopies: lets the held copies go on (a no-op otherwise). */
  release(): void;
  cleanup(): Promise<void>;
}

export interface FixtureOptions {
  /** Artifact copies wait until release(): an operation stays mid-way for as long as a test needs. */
  holdCopies?: boolean;
}

const ref = (path: string) => {
  const [bucket, ...key] = path.replace(/^s3:\/\//, "").split("/");
  return { bucket: bucket!, key: key.join("/") };
};

export async function openFixture(deps: Partial<ImsDeps> = {}, opts: FixtureOptions = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), "ims-core-"));
  const store = deps.store ?? openMemoryStore();
  let release = () => {};
  const gate = opts.holdCopies ? new Promise<void>((r) => (release = r)) : undefined;
  const local = deps.artifacts ?? (await openLocalArtifacts({ dir }));
  const artifacts: ArtifactStore = gate ? { ...local, copy: async (from, to) => (await gate, local.copy(from, to)) } : local;
  const ims = createIms({ ...deps, store, artifacts });
  const put = async (path: string, body: string) => void (await artifacts.write(ref(path), body, "application/octet-stream"));
  return {
    ims,
    store,
    artifacts,
    dir,
    put,
    exists: async (path) => (await artifacts.head(ref(path))) !== undefined,
    release: () => release(),
    async putImage(prefix, opts = {}) {
      const at = (name: string) => `s3://boot-images/${prefix}/${name}`;
      const artifactsList = [
        { type: "application/vnd.cray.image.rootfs.squashfs", name: "rootfs", md5: "m1" },
        { type: "application/vnd.cray.image.kernel", name: "kernel", md5: "m2" },
        { type: "application/vnd.cray.image.initrd", name: "initrd", md5: "m3" },
      ].slice(0, opts.rootfs === 0 ? 0 : 3);
      for (const a of artifactsList) await put(at(a.name), `${prefix}/${a.name}`);
      const manifest = opts.manifest ?? {
        version: "1.0",
        created: "2024-01-01 00:00:00",
        artifacts: artifactsList.map((a) => ({ type: a.type, md5: a.md5, link: { path: at(a.name), etag: "", type: "s3" } })),
      };
      await put(at("manifest.json"), typeof manifest === "string" ? manifest : JSON.stringify(manifest));
      return { path: at("manifest.json"), type: "s3" };
    },
    async cleanup() {
      release();
      await ims.worker.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
