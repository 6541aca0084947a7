/** The cluster, renderer and watcher main.ts builds from the job settings. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIms, DEFAULT_JOBS_CONFIG } from "@ims/core";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openMemoryStore } from "@ims/core/memory";
import { FakeKube, writeKubeconfig } from "@ims/core/test-support";
import { ConfigError } from "../config/index.ts";
import { openJobRuntime } from "./jobs-runtime.ts";
import type { Logger } from "@ims/core";

const dir = mkdtempSync(join(tmpdir(), "ims-jobs-runtime-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function memoryLogger() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { lines, logger };
}

describe("openJobRuntime", () => {
  test("no cluster: a renderer but no cluster, a warning, and start/stop do nothing", async () => {
    const { lines, logger } = memoryLogger();
    const rt = openJobRuntime({ jobs: DEFAULT_JOBS_CONFIG, kubernetes: { mode: "none", why: "IMS_KUBERNETES=none" } }, logger);
    expect(rt.deps.cluster).toBeUndefined();
    expect(rt.deps.renderer).toBeDefined();
    expect(lines).toEqual([{ level: "warn", msg: "no kubernetes cluster: creating jobs answers 503", fields: { mode: "none", reason: "IMS_KUBERNETES=none", job_namespace: "ims", template_dir: "built-in" } }]);
    await rt.stop();
  });

  test("a kubeconfig the adapter cannot use is a ConfigError naming the file", () => {
    const path = join(dir, "broken");
    expect(() => openJobRuntime({ jobs: DEFAULT_JOBS_CONFIG, kubernetes: { mode: "kubeconfig", path, dir, yaml: "apiVersion: v1\nkind: Config\n" } }, memoryLogger().logger)).toThrow(
      new ConfigError([`KUBECONFIG ${JSON.stringify(path)} cannot be used: kubeconfig: no current-context`]),
    );
  });

  test("with a cluster the watcher follows the job namespace until stopped", async () => {
    const kube = new FakeKube();
    const { path, yaml } = writeKubeconfig(dir, { server: kube.url });
    const { lines, logger } = memoryLogger();
    const jobs = { ...DEFAULT_JOBS_CONFIG, namespace: "ims-test" };
    const rt = openJobRuntime({ jobs, kubernetes: { mode: "kubeconfig", path, dir, yaml } }, logger);
    expect(lines[0]).toMatchObject({ level: "info", msg: "kubernetes cluster for jobs", fields: { mode: "kubeconfig", kubeconfig: path, job_namespace: "ims-test" } });
    const store = openMemoryStore();
    const ims = createIms({ store, artifacts: await openLocalArtifacts({ dir: join(dir, "artifacts") }), ...rt.deps });
    try {
      rt.start(ims.ctx);
      for (let i = 0; kube.openWatches === 0 && i < 200; i++) await Bun.sleep(10);
      expect(kube.openWatches).toBe(1);
      expect(kube.requests.some((r) => r.path === "/apis/batch/v1/namespaces/ims-test/jobs")).toBe(true);
      await rt.stop();
      for (let i = 0; kube.openWatches > 0 && i < 200; i++) await Bun.sleep(10);
      expect(kube.openWatches).toBe(0);
    } finally {
      await store.close();
      kube.stop();
    }
  });
});
