/**
 * Events as Server-Sent Events text: `id:` the event's position (what Last-Event-ID resumes
 * from), `data:` one line of ASCII JSON. A record is passed on as the store holds it, with the
 * escapes GET uses, so it is byte for byte what GET of the record answers (without its newline).
 */
import type { Change, ImsEvent } from "@ims/core";
import { asciiJson, asciiOnly } from "../problems/problem.ts";

/** Text per event: every subscriber is handed the same event object, so it is formatted once. */
const formatted = new WeakMap<ImsEvent, string>();

function data(e: ImsEvent): string {
  if (e.change === "gap") return asciiJson({ change: "gap", after: e.after, reason: e.reason });
  const c = e as Change;
  const recordId = c.recordId === null ? "" : `,"record_id":${asciiJson(c.recordId)}`;
  return (
    `{"collection":"${c.collection}","id":${asciiJson(c.id)},"change":"${c.change}","version":${c.version ?? "null"},` +
    `"time":"${new Date(c.at).toISOString()}"${recordId},"record":${c.record === null ? "null" : asciiOnly(c.record)}}`
  );
}

export function sseText(e: ImsEvent): string {
  let text = formatted.get(e);
  if (text === undefined) formatted.set(e, (text = `id: ${e.seq}\ndata: ${data(e)}\n\n`));
  return text;
}

/** Comments: the first bytes of a stream (it is open), and the heartbeat that keeps proxies from closing it. */
export const OPENED = ": ims events\n\n";
export const HEARTBEAT = ": heartbeat\n\n";
