/**
 * The process log: structured, one JSON object per line, so every field (even a hostile path with newlines)
 * stays on its line and log collectors can parse it.
 */
import type { Logger } from "@ims/core";

export type LogLevel = "debug" | "info" | "warn" | "error";
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export type LogFields = Record<string, unknown>;

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stdout by default (tests capture them). */
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(opts.level ?? "info");
  const write = opts.write ?? bufferedStdout();
  const now = opts.now ?? (() => new Date());
  const emit = (level: LogLevel) => (msg: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const line: LogFields = { time: now().toISOString(), level, msg };
    // A field can never overwrite time/level/msg.
    for (const [k, v] of Object.entries(fields)) if (!(k in line)) line[k] = v;
    write(JSON.stringify(line));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error"), enabled: (level) => LOG_LEVELS.indexOf(level) >= min };
}

/**
 * Lines written in one event-loop turn go out in one write: a write per request line costs
 * about as much as serving a small GET. Whatever is buffered is flushed when the process exits.
 */
function bufferedStdout(): (line: string) => void {
  let lines: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!lines.length) return;
    const out = lines.join("\n") + "\n";
    lines = [];
    process.stdout.write(out);
  };
  process.on("exit", flush);
  return (line) => {
    lines.push(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
