/**
 * The ceiling: a bare Bun.serve answering from memory, nothing else. `/` is a small JSON body;
 * with BARE_LIST_FILE, `/list` answers that file's bytes (read once), the ceiling of a list.
 */
export {};

const body = '{"hello":"world"}\n';
const headers = { "content-type": "application/json" };
const list = process.env.BARE_LIST_FILE ? new Uint8Array(await Bun.file(process.env.BARE_LIST_FILE).arrayBuffer()) : undefined;
Bun.serve({
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT),
  fetch: (req) => new Response(list && req.url.endsWith("/list") ? list : body, { headers }),
});
