/**
 * For the container test's upgrade check: `bun scripts/container/legacy-fixture.ts OUT` writes
 * OUT/data, a copy of an upstream data directory (the legacy fixtures of the migration tests:
 * every store, newest file names, an unknown field here and there), and OUT/expected/<name>.json,
 * what upstream served for each collection's list (sorted-key JSON and a newline, as jsonify),
 * under the names the test fetches: public-keys, deleted-public-keys, recipes, ...
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sortKeys } from "@ims/core";
import { expectedRecords, legacyFiles } from "@ims/core/test-support";

const out = process.argv[2];
if (!out) throw new Error("usage: bun scripts/container/legacy-fixture.ts OUT");
mkdirSync(join(out, "data"), { recursive: true });
mkdirSync(join(out, "expected"), { recursive: true });
for (const [name, text] of Object.entries(legacyFiles())) writeFileSync(join(out, "data", name), text);

const PATHS = {
  public_keys: "public-keys", deleted_public_keys: "deleted/public-keys", recipes: "recipes", deleted_recipes: "deleted/recipes",
  images: "images", deleted_images: "deleted/images", jobs: "jobs", remote_build_nodes: "remote-build-nodes",
} as const;
for (const [collection, records] of Object.entries(expectedRecords())) {
  const path = PATHS[collection as keyof typeof PATHS];
  writeFileSync(join(out, "expected", `${path.replace("/", "-")}.json`), `${JSON.stringify(records.map((r: unknown) => sortKeys(r)))}\n`);
}
// The list of paths, one a line, for the shell.
writeFileSync(join(out, "paths"), `${Object.values(PATHS).join("\n")}\n`);
