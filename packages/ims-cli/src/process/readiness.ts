/**
 * What /healthz/ready checks besides draining: the record store answers a small query in time.
 * Nothing can be served without it, so a load balancer should send requests elsewhere meanwhile.
 */
import { ImsError, isImsError, type RecordStore } from "@ims/core";

export function storeAnswers(store: RecordStore, timeoutMs = 2000): () => Promise<void> {
  return async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new ImsError("unavailable", `The record store did not answer within ${timeoutMs} ms.`)), timeoutMs);
    });
    try {
      await Promise.race([store.count("remote_build_nodes"), late]);
    } catch (e) {
      if (isImsError(e) && e.kind === "unavailable") throw e;
      throw new ImsError("unavailable", `The record store cannot be reached: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  };
}
