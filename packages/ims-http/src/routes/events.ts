/**
 * GET /v3/events: every committed change of a record or an artifact operation, as Server-Sent
 * Events (our addition, not upstream). Filters by kind of record and by id; Last-Event-ID
 * resumes where a client left off. craycli builds no command for it: a stream never ends.
 */
import { EVENT_COLLECTIONS, type EventCollection, type SubscribeOptions } from "@ims/core";
import { eventStreamResponse } from "../events/stream.ts";
import { HttpProblem } from "../problems/problem.ts";
import { problems, type RouteCtx, type RouteDef } from "./route-table.ts";

const EVENT_ID = /^\d{1,15}$/;
const shown = (s: string) => JSON.stringify(s.slice(0, 100));

/** The subscription a request asks for; 400 for a filter or Last-Event-ID that cannot be. */
export function subscriptionOf(query: URLSearchParams, lastEventId: string | null): SubscribeOptions {
  const collections: EventCollection[] = [];
  for (const value of query.getAll("collection").flatMap((v) => v.split(","))) {
    if (!(EVENT_COLLECTIONS as readonly string[]).includes(value)) {
      throw new HttpProblem(400, `collection must be one of ${EVENT_COLLECTIONS.join(", ")} (several: repeat it, or separate them with commas), got ${shown(value)}.`);
    }
    collections.push(value as EventCollection);
  }
  const ids = query.getAll("id");
  if (ids.length > 1 || ids[0] === "") throw new HttpProblem(400, "id must be given at most once, and not empty.");
  const last = lastEventId?.trim() || undefined;
  if (last !== undefined && !EVENT_ID.test(last)) {
    throw new HttpProblem(400, `Last-Event-ID must be the id of an event of this stream (a whole number), got ${shown(last)}.`);
  }
  return { collections, id: ids[0], after: last === undefined ? undefined : Number(last) };
}

export const eventRoutes = (): RouteDef[] => [
  {
    method: "GET", path: "/v3/events", tag: "events", cli: "ignore",
    summary: "Stream every committed change (Server-Sent Events)",
    query: [
      { name: "collection", description: `Only changes of these kinds of record: ${EVENT_COLLECTIONS.join(", ")} (repeat it, or separate with commas).` },
      { name: "id", description: "Only changes of this record (for operations: also those working for this record)." },
    ],
    headers: [
      {
        name: "Last-Event-ID",
        description: "Resume after this event (the `id:` of the last event received): what was committed since is sent first. Further back than the retention window, a `gap` event says some were missed.",
      },
    ],
    responses: {
      200: {
        description:
          "text/event-stream: one event per committed change, `id:` its position and `data:` one line of JSON (the Event schema); " +
          "a comment line now and then while nothing happens. The stream stays open.",
        schema: "Event",
        media: "text/event-stream",
      },
      ...problems(400),
    },
    handler: async (c: RouteCtx) => {
      const options = subscriptionOf(c.query, c.header("last-event-id"));
      const gone = c.longLived();
      return eventStreamResponse(await c.ims.events.subscribe(options), c.eventHeartbeatMs, gone);
    },
  },
];
