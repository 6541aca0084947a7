/** What the event stream hands out: committed changes, and gaps where some were missed. */
import type { Change, EventCollection } from "../changes.ts";

/** A reader asked to resume from a point the log no longer covers: what it missed is not known. */
export interface GapEvent {
  change: "gap";
  /** Where the stream resumes: it carries on with the changes after this seq. */
  seq: number;
  /** The position the reader asked to resume after. */
  after: number;
  /** Why: "pruned" (retention removed changes after `after`) or "unknown" (`after` lies beyond the log). */
  reason: "pruned" | "unknown";
}

export type ImsEvent = Change | GapEvent;

export interface EventFilter {
  /** Only these kinds of record (none: every kind). */
  collections?: readonly EventCollection[];
  /** Only this record: its own changes, and for artifact operations those working for it. */
  id?: string;
}

export interface SubscribeOptions extends EventFilter {
  /** Replay the changes after this seq (a previous event's): absent, only changes from now on. */
  after?: number;
}

/** A subscription: an async iterator of events that ends when closed (or when the stream stops). */
export interface EventStream extends AsyncIterableIterator<ImsEvent> {
  close(): void;
}

export interface Events {
  /** Resolves once the subscription's starting point is fixed: every later commit is delivered. */
  subscribe(options?: SubscribeOptions): Promise<EventStream>;
  /** Ends every subscription and refuses new ones (shutdown). */
  close(): void;
  /** How many subscriptions are open. */
  readonly subscribers: number;
}

export const matches = (f: EventFilter, c: Change): boolean =>
  (!f.collections?.length || f.collections.includes(c.collection)) && (f.id === undefined || c.id === f.id || c.recordId === f.id);
