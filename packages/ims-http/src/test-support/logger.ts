/** Test helper: a Logger that keeps each line as the JSON a log collector would read. Test-only. */
import type { Logger } from "@ims/core";

export function captureLogger(): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  const emit = (level: string) => (msg: string, fields: Record<string, unknown> = {}) =>
    void lines.push(JSON.stringify({ ...fields, level, msg }));
  return { lines, logger: { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") } };
}
