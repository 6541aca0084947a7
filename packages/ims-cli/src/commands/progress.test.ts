/** Progress lines: one updating line on a terminal; to a log at most one line every 5 s, plus the end. */
import { describe, expect, test } from "bun:test";
import type { Io } from "./command.ts";
import { progress } from "./progress.ts";

function fakeIo(tty: boolean) {
  const writes: string[] = [];
  const io = { env: {}, cwd: "/", config: () => { throw new Error("unused"); }, out() {}, err: (t: string) => void writes.push(t), errIsTty: tty } as Io;
  let t = 0;
  return { io, writes, clock: { now: () => t, advance: (ms: number) => void (t += ms) } };
}

/** 250,000 records in steps of 1,000, one step every 100 ms (25 s in all), then the end. */
function migrate(tty: boolean) {
  const { io, writes, clock } = fakeIo(tty);
  const p = progress(io, "migrate-legacy", clock.now);
  for (let done = 1000; done <= 250_000; done += 1000) {
    clock.advance(100);
    p(done, 250_000);
  }
  p.end();
  return writes;
}

describe("progress", () => {
  test("to a file or pipe: at most one line every 5 s, then the final count", () => {
    const writes = migrate(false);
    expect(writes).toHaveLength(6); // 25 s: at 5, 10, 15, 20, 25 s, and the end
    expect(writes[0]).toBe("migrate-legacy: 50000/250000 records");
    expect(writes.at(-1)).toBe("migrate-legacy: 250000/250000 records");
    for (const w of writes) expect(w).not.toContain("\r");
  });

  test("on a terminal: one line rewritten in place, ended by a newline", () => {
    const writes = migrate(true);
    expect(writes.length).toBeGreaterThan(100);
    for (const w of writes.slice(0, -1)) expect(w).toMatch(/^\rmigrate-legacy: \d+\/250000 records\x1b\[K$/);
    expect(writes.at(-1)).toBe("\rmigrate-legacy: 250000/250000 records\x1b[K\n");
    expect(writes.join("").split("\n")).toHaveLength(2); // one line, then the newline that ends it
  });

  test("short work prints nothing, not even the end", () => {
    for (const tty of [true, false]) {
      const { io, writes } = fakeIo(tty);
      const p = progress(io, "import", () => 0);
      p(5000, 12000);
      p(12000, 12000);
      p.end();
      expect(writes).toEqual([]);
    }
  });

  test("under 1,000 records nothing is shown however long it takes", () => {
    const { io, writes, clock } = fakeIo(false);
    const p = progress(io, "import", clock.now);
    clock.advance(60_000);
    p(999, 999);
    p.end();
    expect(writes).toEqual([]);
  });
});
