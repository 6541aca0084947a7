/**
 * Seeds a fresh SQLite store through the RecordStore port (one transaction per batch): records
 * shaped exactly as the core writes them, without paying an HTTP round trip per record.
 */
import { isoNaive, sortKeys, type Collection } from "@ims/core";
import { openStore } from "@ims/core/open-store";

const BATCH = 5_000;

const makers = {
  images: (i: number, id: string, created: string) => ({
    arch: i % 4 ? "x86_64" : "aarch64", created, id, link: null, metadata: { owner: "bench", n: String(i) }, name: `image-${i}`,
  }),
  recipes: (i: number, id: string, created: string) => ({
    arch: "x86_64", created, id, link: null, linux_distribution: "sles15", name: `recipe-${i}`, recipe_type: "kiwi-ng",
    require_dkms: true, template_dictionary: [{ key: "CSM_RELEASE_VERSION", value: "1.6.0" }],
  }),
  public_keys: (i: number, id: string, created: string) => ({ created, id, name: `key-${i}`, public_key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA${i} bench@host` }),
  deleted_images: (i: number, id: string, created: string) => ({ ...makers.images(i, id, created), deleted: created }),
} as const;

export type SeedCollection = keyof typeof makers;

/** Writes `counts` records per collection into the store at `url`; returns one id per collection. */
export async function seed(url: string, counts: Partial<Record<SeedCollection, number>>): Promise<Record<string, string>> {
  const store = await openStore(url);
  const sample: Record<string, string> = {};
  const created = isoNaive(new Date());
  try {
    for (const [collection, total] of Object.entries(counts) as [SeedCollection, number][]) {
      for (let from = 0; from < total; from += BATCH) {
        await store.transaction(async (tx) => {
          for (let i = from; i < Math.min(total, from + BATCH); i++) {
            const id = crypto.randomUUID();
            sample[collection] ??= id;
            await tx.insert(collection as Collection, id, sortKeys(makers[collection](i, id, created)) as never);
          }
        });
      }
    }
  } finally {
    await store.close();
  }
  return sample;
}
