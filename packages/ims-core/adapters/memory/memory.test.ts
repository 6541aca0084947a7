import { runStoreContract } from "../store-contract.ts";
import { openMemoryStore } from "./index.ts";

runStoreContract("memory", async () => {
  const store = openMemoryStore();
  return { store, cleanup: () => store.close() };
});
