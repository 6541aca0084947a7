/** Test helper: a raw HTTP request over a real socket, for what app.handle cannot show. Test-only. */
import { connect } from "node:net";

/**
 * POSTs to /v3/public-keys writing the request line, `headers` (each ending in CRLF) and the whole
 * body before reading, as Python's http.client and urllib do; resolves with whatever came back and
 * the socket error, if any (a reset, a broken pipe).
 */
export function sendWhole(port: number, headers: string, body: Uint8Array): Promise<{ reply: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    let error: string | undefined;
    socket.on("data", (d) => (reply += d.toString("latin1")));
    socket.on("error", (e) => (error = (e as NodeJS.ErrnoException).code ?? e.message));
    socket.on("close", () => resolve({ reply, error }));
    socket.write(`POST /v3/public-keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n${headers}\r\n`);
    socket.end(body);
  });
}
