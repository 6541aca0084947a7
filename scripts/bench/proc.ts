/** A server process seen through /proc: current RSS, peak RSS (and resetting it), CPU time used. */
import { readFileSync, writeFileSync } from "node:fs";

const field = (pid: number, name: string): number => {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no ${name} for pid ${pid}`);
  return Number(m[1]) * 1024;
};

export const rss = (pid: number) => field(pid, "VmRSS");
export const peakRss = (pid: number) => field(pid, "VmHWM");

/** Resets VmHWM to the current RSS (Linux clear_refs "5"); false when not permitted. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** CPU time (user + system) the process has used so far, in ms (clock ticks are 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After "pid (comm) ": state is field 0; utime and stime are fields 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
