/** The core's event stream (`ims.events`): subscriptions over the process's one change feed. */
import type { ChangeLog } from "../changes.ts";
import type { Logger } from "../context.ts";
import { ImsError } from "../errors.ts";
import { ChangeFeed, type FeedOptions } from "./feed.ts";
import { Subscription } from "./subscription.ts";
import type { Events, GapEvent, SubscribeOptions } from "./types.ts";

export function createEvents(log: ChangeLog, logger: Logger, options?: FeedOptions): Events {
  const feed = new ChangeFeed(log, logger, options);
  const open = new Set<Subscription>();
  let closed = false;
  return {
    async subscribe(o: SubscribeOptions = {}) {
      if (closed) throw new ImsError("unavailable", "The event stream has stopped: the service is shutting down.");
      await feed.join();
      if (closed) {
        feed.leave();
        throw new ImsError("unavailable", "The event stream has stopped: the service is shutting down.");
      }
      let start = feed.cursor;
      let gap: GapEvent | undefined;
      if (o.after !== undefined) {
        const { latest, prunedThrough } = await log.bounds().catch((e) => {
          feed.leave();
          throw e;
        });
        if (o.after > latest) gap = { change: "gap", seq: latest, after: o.after, reason: "unknown" };
        else if (o.after < prunedThrough) gap = { change: "gap", seq: prunedThrough, after: o.after, reason: "pruned" };
        start = gap ? gap.seq : o.after;
      }
      const sub = new Subscription(feed, { collections: o.collections, id: o.id }, start, gap, () => {
        open.delete(sub);
        feed.leave();
      });
      open.add(sub);
      return sub;
    },
    close() {
      closed = true;
      for (const sub of [...open]) sub.close();
    },
    get subscribers() {
      return open.size;
    },
  };
}
