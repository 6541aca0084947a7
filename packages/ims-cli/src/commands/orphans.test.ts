/** `orphans` and `operations` against a migrated SQLite store and a local artifact directory. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openStore } from "@ims/core/open-store";
import type { ArtifactStore } from "@ims/core";
import { IDS } from "@ims/core/test-support";
import { ims, tempDir, writeLegacyDir } from "../test-support/cli.ts";

let dir: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;
let artifacts: ArtifactStore;

const ref = (path: string) => {
  const [bucket, ...key] = path.replace("s3://", "").split("/");
  return { bucket: bucket!, key: key.join("/") };
};
const put = (path: string, body = path) => artifacts.write(ref(path), body, "application/octet-stream");
const exists = async (path: string) => (await artifacts.head(ref(path))) !== undefined;

/** A manifest at `at` listing `paths`, as image builds write them. */
const manifest = (at: string, paths: string[]) =>
  put(at, JSON.stringify({ version: "1.0", created: "2024-03-01 10:00:00", artifacts: paths.map((p) => ({ type: "application/vnd.cray.image.rootfs.squashfs", md5: "", link: { path: p, etag: "", type: "s3" } })) }));

const img = (id: string, name: string) => `s3://boot-images/${id}/${name}`;
const REFERENCED = [
  img(IDS.image1, "rootfs"), img(IDS.image1, "kernel"), img(IDS.image1, "initrd"),
  img(IDS.image2, "rootfs"),
  `s3://boot-images/deleted/${IDS.deletedImage}/rootfs`, `s3://boot-images/deleted/${IDS.image1}x/manifest.json`,
  `s3://ims/recipes/${IDS.recipe1}/recipe.tar.gz`, `s3://ims/deleted/recipes/${IDS.deletedRecipe}/recipe.tar.gz`,
];
const MANIFESTS = [img(IDS.image1, "manifest.json"), img(IDS.image2, "manifest.json"), `s3://boot-images/deleted/${IDS.deletedImage}/deleted_manifest.json`];
/** Only a pending operation refers to these (a move in flight). */
const IN_FLIGHT = ["s3://boot-images/moving/from", "s3://boot-images/moving/to"];
const ORPHANS = ["s3://boot-images/stray/rootfs", `s3://boot-images/${IDS.image1}/extra.squashfs`, "s3://ims/recipes/old/recipe.tar.gz"];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  env = { DATABASE_URL: `sqlite:${join(dir, "ims.sqlite")}`, IMS_ARTIFACTS_DIR: join(dir, "artifacts") };
  const r = await ims(["migrate-legacy", await writeLegacyDir(dir)], env);
  if (r.code !== 0) throw new Error(r.stderr);
  artifacts = await openLocalArtifacts({ dir: join(dir, "artifacts") });
  for (const p of [...REFERENCED, ...IN_FLIGHT, ...ORPHANS, "s3://other-bucket/not-ims"]) await put(p);
  await manifest(MANIFESTS[0]!, REFERENCED.slice(0, 3));
  await manifest(MANIFESTS[1]!, [REFERENCED[3]!]);
  await manifest(MANIFESTS[2]!, REFERENCED.slice(4, 6));
  const store = await openStore(env.DATABASE_URL!);
  await store.transaction((tx) =>
    tx.enqueue({
      id: "op-1", action: "soft-delete image", collection: "images", recordId: IDS.image3, created: "2024-04-01T00:00:00",
      steps: [{ op: "copy", from: ref(IN_FLIGHT[0]!), to: ref(IN_FLIGHT[1]!) }, { op: "remove", ref: ref(IN_FLIGHT[0]!) }],
    }),
  );
  await store.close();
});
afterAll(() => cleanup());

const listed = (stdout: string) => stdout.trim().split("\n").filter(Boolean).map((l) => l.split("\t")[0]).sort();

describe("orphans", () => {
  test("the dry run lists exactly the unreferenced objects and deletes nothing", async () => {
    const r = await ims(["orphans"], env);
    expect(r.code).toBe(0);
    expect(listed(r.stdout)).toEqual([...ORPHANS].sort());
    expect(r.stderr).toContain("dry run: nothing deleted");
    for (const p of ORPHANS) expect(await exists(p)).toBe(true);
  });

  test("--delete removes only those", async () => {
    const r = await ims(["orphans", "--delete"], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("deleted 3 objects");
    for (const p of ORPHANS) expect(await exists(p)).toBe(false);
    for (const p of [...REFERENCED, ...MANIFESTS, ...IN_FLIGHT, "s3://other-bucket/not-ims"]) expect(await exists(p)).toBe(true);
    expect(listed((await ims(["orphans"], env)).stdout)).toEqual([]);
  });

  test("an unreadable manifest: the dry run warns, --delete refuses and deletes nothing", async () => {
    await put(MANIFESTS[1]!, "not json");
    await put("s3://boot-images/stray/again");
    const dry = await ims(["orphans"], env);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain(`warning: manifest ${MANIFESTS[1]} cannot be read`);
    const r = await ims(["orphans", "--delete"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ims orphans: error: refusing to delete: 1 manifest\(s\) cannot be read/m);
    expect(await exists("s3://boot-images/stray/again")).toBe(true);
    expect(await exists(REFERENCED[3]!)).toBe(true);
  });
});

describe("operations", () => {
  test("prints the journal, filtered by state, or as JSON", async () => {
    const all = await ims(["operations"], env);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`^op-1  pending .*images/${IDS.image3}  "soft-delete image"  steps 0/2  attempts 0\\n$`));
    expect((await ims(["operations", "--state", "done"], env)).stdout).toBe("");
    const json = JSON.parse((await ims(["operations", "--state=pending", "--json"], env)).stdout);
    expect(json).toMatchObject([{ id: "op-1", state: "pending", steps: [{ op: "copy" }, { op: "remove" }] }]);
  });

  test("--help, and a bad state is a usage error", async () => {
    expect((await ims(["operations", "--help"], env)).stdout).toContain("--state S");
    expect((await ims(["operations", "--state", "stuck"], env)).code).toBe(2);
  });
});
