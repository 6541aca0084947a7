/**
 * The test RGW never outlives its test process: a process holding one is killed with SIGKILL
 * (no exit handler runs), and every Ceph daemon goes, and its directory with them.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { s3Flavours } from "./test-s3.ts";

/** Running, not a zombie waiting to be reaped. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

describe.skipIf(!s3Flavours().includes("rgw"))("Ceph RGW for tests", () => {
  test("SIGKILL of the process that started it stops radosgw, the OSD and the monitor", async () => {
    const holder = Bun.spawn(
      [process.execPath, "-e", `const { startRgw } = await import(${JSON.stringify(join(import.meta.dir, "rgw-server.ts"))});
        console.log(JSON.stringify(await startRgw())); setInterval(() => {}, 1000);`],
      { stdout: "pipe", stderr: "inherit" },
    );
    const reader = holder.stdout.getReader();
    let text = "";
    while (!text.includes("\n")) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the holder exited: ${text}`);
      text += new TextDecoder().decode(value);
    }
    const { dir, endpoint } = JSON.parse(text) as { dir: string; endpoint: string };
    const pidFiles = readdirSync(join(dir, "run")).filter((f) => f.endsWith(".daemon-pid"));
    expect(pidFiles.sort()).toEqual(["mon.a.daemon-pid", "osd.0.daemon-pid", "rgw.daemon-pid"]);
    const pids = pidFiles.map((f) => Number(readFileSync(join(dir, "run", f), "utf8")));
    expect(pids.every(alive)).toBe(true);
    expect((await fetch(`${endpoint}/`)).status).toBe(200);

    holder.kill("SIGKILL");
    await holder.exited;
    for (let i = 0; i < 300 && (pids.some(alive) || existsSync(dir)); i++) await Bun.sleep(100);
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(await fetch(`${endpoint}/`).then(() => "answers", () => "refused")).toBe("refused");
  }, 180_000);
});
