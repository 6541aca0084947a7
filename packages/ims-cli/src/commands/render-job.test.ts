/**
 * `ims render-job FILE`: the dry run from the command line, against a real SQLite store and a
 * local artifact directory: the job and objects on stdout, IMS_JOB_TEMPLATE_PATH honoured,
 * refusals and objects Kubernetes would refuse as one-line errors (exit 1), nothing written.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { COLLECTIONS, createIms } from "@ims/core";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openStore } from "@ims/core/open-store";
import { builtinTemplate, templateRelativePath } from "@ims/templates";
import { loadConfig } from "../config/index.ts";
import { main } from "../main.ts";
import { tempDir } from "../test-support/cli.ts";

let dir: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;
let body: Record<string, string>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  env = { DATABASE_URL: `sqlite:${join(dir, "ims.sqlite")}`, IMS_ARTIFACTS_DIR: join(dir, "artifacts"), IMS_KUBERNETES: "none" };
  const store = await openStore(env.DATABASE_URL!);
  const artifacts = await openLocalArtifacts({ dir: env.IMS_ARTIFACTS_DIR! });
  const ims = createIms({ store, artifacts });
  await artifacts.write({ bucket: "ims", key: "recipes/r1/recipe.tar.gz" }, "recipe", "application/gzip");
  const recipe = await ims.recipes.create({
    name: "cos", recipe_type: "kiwi-ng", linux_distribution: "sles15", template_dictionary: [{ key: "K", value: "V" }],
    link: { path: "s3://ims/recipes/r1/recipe.tar.gz", etag: "", type: "s3" },
  });
  const key = await ims.publicKeys.create({ name: "me", public_key: "ssh-ed25519 AAAAC3Nz me@host" });
  await store.close();
  body = { job_type: "create", artifact_id: recipe.data.id, public_key_id: key.data.id, image_root_archive_name: "my-image" };
  writeFileSync(join(dir, "job.json"), JSON.stringify(body));
});
afterAll(() => cleanup());

async function run(argv: string[], extra: Record<string, string> = {}) {
  let out = "";
  let err = "";
  const e = { ...env, ...extra };
  const io = { env: e, cwd: dir, config: () => loadConfig(e, { cwd: dir }), out: (t: string) => void (out += t), err: (t: string) => void (err += t.endsWith("\n") ? t : `${t}\n`) };
  return { code: await main(argv, io), out, err };
}

/** Every record of every collection with its version. */
async function contents(): Promise<string> {
  const store = await openStore(env.DATABASE_URL!);
  try {
    return JSON.stringify(await Promise.all(COLLECTIONS.map((c) => store.list(c))));
  } finally {
    await store.close();
  }
}

/** An operator template directory whose create/kiwi-ng Job template was edited with `edit`. */
function operatorDir(name: string, edit: (text: string) => string): string {
  const rel = templateRelativePath("create-kiwi-ng", "job");
  const file = join(dir, name, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, edit(builtinTemplate("create-kiwi-ng", "job")));
  return join(dir, name);
}

describe("render-job", () => {
  test("prints the job and its objects as JSON; writes nothing; needs no cluster", async () => {
    const before = await contents();
    const r = await run(["render-job", "job.json"]);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: "" });
    const { job, objects, warnings } = JSON.parse(r.out);
    expect(job).toMatchObject({ ...body, status: "creating", kubernetes_job: `cray-ims-${job.id}-create`, kubernetes_namespace: "ims" });
    expect(objects.map((o: { kind: string }) => o.kind)).toEqual(["ConfigMap", "Service", "Job", "PersistentVolumeClaim", "DestinationRule"]);
    expect(warnings).toEqual([]);
    expect(await contents()).toBe(before);
  });

  test("--yaml prints the objects as a YAML stream; the configured namespace is used", async () => {
    const r = await run(["render-job", "job.json", "--yaml"], { DEFAULT_IMS_JOB_NAMESPACE: "builds" });
    expect(r.code).toBe(0);
    const docs = r.out.split(/^---\n/m).filter(Boolean).map((d) => Bun.YAML.parse(d) as { kind: string; metadata: { namespace: string } });
    expect(docs.map((d) => d.kind)).toEqual(["ConfigMap", "Service", "Job", "PersistentVolumeClaim", "DestinationRule"]);
    expect(docs.every((d) => d.metadata.namespace === "builds")).toBe(true);
  });

  test("IMS_JOB_TEMPLATE_PATH: a misspelt field is a warning on stderr, a value Kubernetes refuses an error naming it", async () => {
    const typo = operatorDir("typo", (t) => t.replace("restartPolicy:", "restartPolicyy:"));
    const warned = await run(["render-job", "job.json"], { IMS_JOB_TEMPLATE_PATH: typo });
    expect(warned.code).toBe(0);
    expect(warned.err).toMatch(/^warning: Job\/cray-ims-[0-9a-f-]+-create: spec\.template\.spec\.restartPolicyy is not a field Kubernetes knows; it would be dropped\n$/);

    const broken = operatorDir("broken", (t) => t.replace(/backoffLimit: \d+/, "backoffLimit: -x"));
    const refused = await run(["render-job", "job.json"], { IMS_JOB_TEMPLATE_PATH: broken });
    expect(refused.code).toBe(1);
    expect(refused.out).toBe("");
    expect(refused.err).toContain("ims render-job: error: The job templates render objects Kubernetes would refuse");
    expect(refused.err).toContain('"spec.backoffLimit: must be integer"');
  });

  test("a job a create would refuse is the create's error, with its field errors; exit 1", async () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...body, job_type: "rebuild" }));
    const invalid = await run(["render-job", "bad.json"]);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('"job_type":["Job type must be one of: create, customize."]');
    writeFileSync(join(dir, "nokey.json"), JSON.stringify({ ...body, public_key_id: "11111111-2222-4333-8444-555555555555" }));
    expect((await run(["render-job", "nokey.json"])).err).toBe("ims render-job: error: Invalid public_key_id value in job request. No IMS public-key record found matching id=11111111-2222-4333-8444-555555555555\n");
    writeFileSync(join(dir, "text.json"), "job_type=create");
    expect((await run(["render-job", "text.json"])).err).toStartWith("ims render-job: error: text.json is not JSON");
    expect((await run(["render-job"])).code).toBe(2);
  });
});
