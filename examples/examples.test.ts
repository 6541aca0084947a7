/** Runs every example as a subprocess against a temp SQLite store, so CI keeps them working. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdtemp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openSqliteStore } from "@ims/core/sqlite";
import { FakeKube, writeKubeconfig } from "../packages/ims-core/adapters/kubernetes/test-server.ts";
import { IDS, legacyFiles } from "../packages/ims-core/src/migrate/test-fixtures.ts";

const HERE = import.meta.dir;
let dir: string;
let db: string;
let env: Record<string, string | undefined>;

async function example(name: string, args: string[], extraEnv: Record<string, string | undefined> = {}) {
  const proc = Bun.spawn(["bun", join(HERE, name), ...args], { cwd: dir, env: { ...env, ...extraEnv }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ims-examples-"));
  db = join(dir, "ims.sqlite");
  const { KUBECONFIG: _, DATABASE_URL: __, ...rest } = process.env;
  env = { ...rest, DATABASE_URL: `sqlite:${db}`, IMS_ARTIFACTS_DIR: join(dir, "artifacts") };
  await mkdir(join(dir, "data"));
  for (const [name, text] of Object.entries(legacyFiles())) await writeFile(join(dir, "data", name), text);
  // The customize job reads image1's manifest and HEADs its rootfs: put both in place.
  const artifacts = await openLocalArtifacts({ dir: join(dir, "artifacts") });
  const rootfs = { bucket: "boot-images", key: `${IDS.image1}/rootfs` };
  await artifacts.write(rootfs, "squashfs bytes", "application/octet-stream");
  const manifest = { version: "1.0", created: "2024-03-01 10:00:00", artifacts: [{ type: "application/vnd.cray.image.rootfs.squashfs", md5: "", link: { path: `s3://boot-images/${rootfs.key}`, etag: "", type: "s3" } }] };
  await artifacts.write({ bucket: "boot-images", key: `${IDS.image1}/manifest.json` }, JSON.stringify(manifest), "application/json");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("examples", () => {
  test("migrate-legacy.ts DIR DB imports the legacy directory", async () => {
    const r = await example("migrate-legacy.ts", [join(dir, "data"), db]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sources: { jobs: "v2.4_jobs.json" }, total: { records: 14, created: 14 } });
  });

  test("list-images.ts prints the images, from a path argument or DATABASE_URL", async () => {
    const byArg = await example("list-images.ts", [db], { DATABASE_URL: undefined });
    expect(byArg.code).toBe(0);
    expect(byArg.stdout.trim().split("\n").map((l) => l.split("\t")[0])).toEqual([IDS.image1, IDS.image2, IDS.image3]);
    expect(byArg.stdout).toContain(`${IDS.image1}\t2024-03-01T10:00:00.123456\tx86_64\tcos-3.0\ts3://boot-images/${IDS.image1}/manifest.json`);
    expect((await example("list-images.ts", [])).stdout).toBe(byArg.stdout);
  });

  test("create-customize-job.ts without KUBECONFIG prints the core's 503 problem", async () => {
    const r = await example("create-customize-job.ts", [IDS.image1, IDS.key1]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ status: 503, title: "Service Unavailable", detail: "No Kubernetes cluster is configured: IMS cannot run jobs." });
    const store = await openSqliteStore({ filename: db });
    expect(await store.count("jobs")).toBe(2); // nothing was written
    await store.close();
  });

  test("create-customize-job.ts with KUBECONFIG creates the job through the Kubernetes adapter", async () => {
    const kube = new FakeKube();
    try {
      const { path } = writeKubeconfig(dir, { server: kube.url });
      const r = await example("create-customize-job.ts", [IDS.image1, IDS.key1, "my-custom"], { KUBECONFIG: path });
      expect(r.code).toBe(0);
      const job = JSON.parse(r.stdout);
      expect(job).toMatchObject({ job_type: "customize", artifact_id: IDS.image1, image_root_archive_name: "my-custom", kubernetes_job: `cray-ims-${job.id}-customize` });
      expect(kube.requests.some((q) => q.method === "POST" && q.path.endsWith("/jobs"))).toBe(true);
    } finally {
      kube.stop();
    }
  });

  test("usage mistakes exit 2", async () => {
    expect((await example("migrate-legacy.ts", [])).code).toBe(2);
    expect((await example("create-customize-job.ts", [IDS.image1])).code).toBe(2);
    expect((await example("list-images.ts", ["--verbose"])).code).toBe(2);
    expect((await example("list-images.ts", [db, "extra"])).code).toBe(2);
  });

  test.each(["list-images.ts", "migrate-legacy.ts", "create-customize-job.ts"])("%s --help prints the usage and creates nothing", async (name) => {
    const empty = await mkdtemp(join(tmpdir(), "ims-examples-help-"));
    try {
      const proc = Bun.spawn(["bun", join(HERE, name), "--help"], { cwd: empty, env: { ...env, DATABASE_URL: undefined }, stdout: "pipe", stderr: "pipe" });
      const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
      expect(code).toBe(0);
      expect(stdout).toStartWith(`usage: bun examples/${name}`);
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  test("list-images.ts on a missing database is an error, not \"0 image(s)\", and creates nothing", async () => {
    const missing = join(dir, "no-such-dir", "ims.sqlite");
    const r = await example("list-images.ts", [missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: No IMS database at ${missing}.\n`);
    expect(existsSync(join(dir, "no-such-dir"))).toBe(false);
    const typo = await example("list-images.ts", [join(dir, "ims.sqlit")]);
    expect(typo.code).toBe(1);
    expect(existsSync(join(dir, "ims.sqlit"))).toBe(false);
  });

  test("list-images.ts only reads: the store's files are left as they were", async () => {
    const before = await readdir(dir);
    expect((await example("list-images.ts", [db])).code).toBe(0);
    expect(await readdir(dir)).toEqual(before);
  });
});
