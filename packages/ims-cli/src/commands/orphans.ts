/** orphans [--delete]: objects in the IMS buckets that no record references. */
import { existsSync } from "node:fs";
import type { Command } from "./command.ts";
import { openArtifacts, openRecords } from "../process/open.ts";
import { findReferences, refKey } from "./references.ts";

export const orphansCommand: Command = {
  spec: { command: "orphans", positionals: [], flags: { delete: {} } },
  summary: "list (or --delete) objects in the IMS buckets that no record references",
  help: `Usage: bun run ims orphans [--delete]

Lists the objects in the IMS buckets (S3_IMS_BUCKET, default "ims", and
S3_BOOT_IMAGES_BUCKET, default "boot-images") that nothing references: not the link of
any recipe, image, deleted recipe or deleted image, not an artifact listed in one of
their manifests, and not part of an artifact operation still pending or failed.
One line per object on stdout: s3://BUCKET/KEY<TAB>SIZE. By default nothing is deleted.

Objects uploaded for an image that is not registered yet also count as unreferenced:
review the list before deleting. --delete refuses to run when a manifest exists but
cannot be read, since what it references is then unknown.

Options:
  --delete    delete the listed objects
  -h, --help  show this help

Environment: DATABASE_URL (default sqlite:./var/ims.sqlite); S3_ENDPOINT, S3_ACCESS_KEY,
S3_SECRET_KEY, S3_SSL_VALIDATE for S3, else IMS_ARTIFACTS_DIR (default ./var/artifacts);
MAX_IMAGE_MANIFEST_SIZE_BYTES (default 1048576).`,

  async run(args, io) {
    const config = io.config();
    const remove = args.flags.delete === true;
    if (!config.s3 && !existsSync(config.artifactsDir)) {
      throw new Error(`no artifact directory at ${config.artifactsDir} (check IMS_ARTIFACTS_DIR)`);
    }
    const store = await openRecords(config, "read");
    const opened = await openArtifacts(config);
    try {
      const { artifacts } = opened;
      const refs = await findReferences(store, artifacts, config.maxManifestBytes, (m) => io.err(`warning: ${m}`));
      for (const path of refs.unreadable) io.err(`warning: manifest ${path} cannot be read; the objects it lists may be reported`);
      if (remove && refs.unreadable.length) {
        throw new Error(`refusing to delete: ${refs.unreadable.length} manifest(s) cannot be read, so what they reference is unknown`);
      }
      const orphans: { bucket: string; key: string; size: number }[] = [];
      let listed = 0;
      for (const bucket of new Set([config.imsBucket, config.bootImagesBucket])) {
        for await (const o of artifacts.list(bucket, "")) {
          if (++listed % 1000 === 0) io.err(`orphans: ${listed} objects checked`);
          if (!refs.keys.has(refKey({ bucket, key: o.key }))) orphans.push({ bucket, ...o });
        }
      }
      for (const o of orphans) io.out(`s3://${o.bucket}/${o.key}\t${o.size}\n`);
      const bytes = orphans.reduce((n, o) => n + o.size, 0);
      io.err(`${orphans.length} of ${listed} objects in ${opened.where} are unreferenced (${bytes} bytes)`);
      if (!remove) return io.err("dry run: nothing deleted (use --delete to remove them)");
      for (const [i, o] of orphans.entries()) {
        await artifacts.remove({ bucket: o.bucket, key: o.key });
        if ((i + 1) % 1000 === 0) io.err(`orphans: ${i + 1}/${orphans.length} deleted`);
      }
      io.err(`deleted ${orphans.length} objects`);
    } finally {
      opened.close();
      await store.close();
    }
  },
};
