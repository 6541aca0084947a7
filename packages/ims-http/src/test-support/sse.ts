/** Test helper: reads a text/event-stream body event by event (comments kept apart). Test-only. */
export interface SseEvent {
  id?: string;
  data?: string;
  /** The data parsed as JSON. */
  json?: any;
}

export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const blocks: string[] = [];
  /** The next block (event or comment), or undefined when the stream ended. */
  async function block(): Promise<string | undefined> {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        blocks.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        return blocks.at(-1);
      }
      const { value, done } = await reader.read();
      if (done) return undefined;
      buffer += decoder.decode(value, { stream: true });
    }
  }
  return {
    /** Every block read so far, raw. */
    blocks,
    block,
    /** The next event, skipping comments; undefined when the stream ended. */
    async event(): Promise<SseEvent | undefined> {
      for (;;) {
        const b = await block();
        if (b === undefined) return undefined;
        if (b.startsWith(":")) continue;
        const e: SseEvent = {};
        for (const line of b.split("\n")) {
          const at = line.indexOf(": ");
          const [field, value] = at < 0 ? [line, ""] : [line.slice(0, at), line.slice(at + 2)];
          if (field === "id") e.id = value;
          if (field === "data") e.data = value;
        }
        e.json = e.data === undefined ? undefined : JSON.parse(e.data);
        return e;
      }
    },
    cancel: () => reader.cancel(),
  };
}
