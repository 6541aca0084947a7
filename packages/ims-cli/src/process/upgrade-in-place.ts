/**
 * Upgrade in place, before the service listens: upstream's data files in IMS_LEGACY_DATA_DIR go
 * into an empty database once (the core's importLegacyOnce, migrate-legacy's migration), and the
 * log says what happened. A corrupt file stops start-up with the file and record named.
 */
import { importLegacyOnce, isImsError, type Logger, type RecordStore } from "@ims/core";
import { openLegacyDir } from "@ims/core/legacy-dir";
import { redactUrl, type Config } from "../config/index.ts";
import { jobDefaultsOf } from "./open.ts";

export async function upgradeInPlace(config: Readonly<Config>, store: RecordStore, logger: Logger): Promise<void> {
  const dir = config.legacyDataDir;
  const r = await importLegacyOnce(store, openLegacyDir(dir), { jobDefaults: jobDefaultsOf(config) }).catch((e: unknown) => {
    const why = isImsError(e) ? e.detail : e instanceof Error ? e.message : String(e);
    throw new Error(`upgrade in place from ${dir} stopped, nothing was imported: ${why}`, { cause: e });
  });
  switch (r.outcome) {
    case "no-legacy-files":
      logger.debug("upgrade in place: no upstream data files", { dir });
      return;
    case "imported":
      logger.info("upgrade in place: imported upstream's data files", {
        dir, database: redactUrl(config.databaseUrl), counts: r.note.counts, sources: r.note.sources,
      });
      for (const file of r.superseded) logger.info("upgrade in place: an older file was not read, a newer one of the same store is there", { dir, file });
      return;
    case "imported-before":
      // Reported, never merged: the database is the truth since the import.
      for (const { name, change } of r.changes) {
        logger.warn(`upgrade in place: upstream data file ${change} since the import, not imported again (ims migrate-legacy merges it)`, {
          dir, file: name, change, imported: r.note.imported,
        });
      }
      return;
    case "store-not-empty":
      logger.warn("upgrade in place: the database already holds records, upstream's data files were not imported (ims migrate-legacy merges them)", {
        dir, files: r.files,
      });
  }
}
