/**
 * In-process test rig: the real core on an in-memory store and a temp-dir artifact store, and a
 * `call` helper around app.handle. Test-only (not exported from index.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COLLECTIONS, createIms, type ImsDeps, type ImsService, type RecordStore } from "@ims/core";
import { openMemoryStore } from "@ims/core/memory";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { createApp, type AppDeps } from "../app.ts";
import { send, type SendBody } from "./send.ts";

export { send, type Reply, type SendBody } from "./send.ts";

/** `store`: a real store to run on instead of the in-memory one (closed by close()); `core`: more createIms deps. */
export async function rig(deps: Partial<AppDeps> = {}, opts: { store?: RecordStore; core?: Partial<ImsDeps> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ims-http-test-"));
  const store = opts.store ?? openMemoryStore();
  const artifacts = await openLocalArtifacts({ dir });
  const ims = createIms({ store, artifacts, ...opts.core });
  const app = createApp({ ims: ims as ImsService, version: "test-version", ...deps });
  return {
    app,
    ims,
    store,
    artifacts,
    call: (method: string, path: string, body?: SendBody, headers?: Record<string, string>) =>
      send(app, method, path, body, headers),
    /** Every record of every collection with its version: equal snapshots mean nothing was written. */
    snapshot: async () => JSON.stringify(await Promise.all(COLLECTIONS.map((c) => store.list(c)))),
    async close() {
      await ims.worker.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Rig = Awaited<ReturnType<typeof rig>>;
