/** The ceiling: a bare Bun.serve answering a small JSON body, nothing else. */
const body = '{"hello":"world"}\n';
Bun.serve({
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT),
  fetch: () => new Response(body, { headers: { "content-type": "application/json" } }),
});
