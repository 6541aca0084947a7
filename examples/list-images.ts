/**
 * Lists the images of an IMS store: `bun examples/list-images.ts [DATABASE]`
 * (DATABASE: a SQLite file, sqlite:PATH or postgres://...; default DATABASE_URL).
 */
import { createIms } from "@ims/core";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { databaseFrom, openRecordStore } from "./store.ts";

const store = await openRecordStore(databaseFrom(process.argv[2]));
// Listing touches no artifact, but the core wants an artifact store: a local one will do.
const artifacts = await openLocalArtifacts({ dir: process.env.IMS_ARTIFACTS_DIR ?? "./var/artifacts" });
const ims = createIms({ store, artifacts });
try {
  const images = await ims.images.list();
  for (const { data: image } of images) {
    console.log([image.id, image.created, image.arch, image.name, image.link?.path ?? "-"].join("\t"));
  }
  console.error(`${images.length} image(s)`);
} finally {
  await ims.worker.stop();
  await store.close();
}
