/**
 * Lists the images of an IMS store: `bun examples/list-images.ts [DATABASE]`
 * (DATABASE: a SQLite file, sqlite:PATH or postgres://...; default DATABASE_URL).
 */
import { createIms } from "@ims/core";
import { argsOf, run } from "./args.ts";
import { databaseFrom, noArtifacts, openRecordStore } from "./store.ts";

const [database] = argsOf(
  "usage: bun examples/list-images.ts [DATABASE]\n" +
    "Lists the images of an existing IMS store (DATABASE: a SQLite file, sqlite:PATH or postgres://...; default DATABASE_URL, else sqlite:./var/ims.sqlite).",
  0,
  1,
);

await run(async () => {
  // Read only: a missing file is an error (not an empty list), and nothing is written.
  const store = await openRecordStore(databaseFrom(database), { readOnly: true });
  const ims = createIms({ store, artifacts: noArtifacts }); // listing touches no artifact
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
});
