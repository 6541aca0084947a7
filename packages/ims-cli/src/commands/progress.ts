/**
 * Progress of long work on stderr ("migrate-legacy: 30000/250000 records"). On a terminal it is
 * one line, rewritten in place; to a file or pipe (a log) at most one line every few seconds,
 * plus the final count, so a long run does not bury its result under progress lines.
 */
import type { Io } from "./command.ts";

/** Work smaller than this finishes too fast for progress to help. */
const MIN_TOTAL = 1000;
const TTY_EVERY_MS = 100;
const LOG_EVERY_MS = 5000;

export interface Progress {
  (done: number, total: number): void;
  /** Ends the updating line (terminal) or writes the final count (log), if progress was shown. */
  end(): void;
}

export function progress(io: Io, label: string, now: () => number = () => performance.now()): Progress {
  const tty = io.errIsTty === true;
  const every = tty ? TTY_EVERY_MS : LOG_EVERY_MS;
  let last = now(); // the first line comes after one interval: short work prints nothing
  let latest: [number, number] | undefined;
  let shown = false;
  const line = ([done, total]: [number, number]) => `${label}: ${done}/${total} records`;
  const show = (text: string) => {
    shown = true;
    if (tty) io.err(`\r${text}\x1b[K`, { raw: true });
    else io.err(text);
  };
  const report = ((done: number, total: number) => {
    if (total < MIN_TOTAL) return;
    latest = [done, total];
    const t = now();
    if (t - last < every) return;
    last = t;
    show(line(latest));
  }) as Progress;
  report.end = () => {
    if (!shown || !latest) return;
    if (tty) io.err(`\r${line(latest)}\x1b[K\n`, { raw: true });
    else io.err(line(latest));
  };
  return report;
}
