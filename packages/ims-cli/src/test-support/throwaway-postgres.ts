/**
 * A PostgreSQL server of a test's own (initdb + pg_ctl in a temp directory, on a free port), so
 * a test can stop and start it: the machine's shared server is never touched. Test-only.
 * As root the server runs as the postgres user (initdb and postgres refuse root).
 */
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./processes.ts";

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** pg_ctl start -w: returns once the server accepts connections. */
  start(): Promise<void>;
  /** pg_ctl stop -m fast: open connections are closed. */
  stop(): Promise<void>;
  /** Stops it (if running) and removes its directory. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(a) - Number(b));
  if (!versions.length) throw new Error("no PostgreSQL server install under /usr/lib/postgresql (apt-get install postgresql)");
  return `/usr/lib/postgresql/${versions.at(-1)}/bin`;
}

async function run(argv: string[]): Promise<void> {
  const asPostgres = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  const proc = Bun.spawn([...asPostgres, ...argv], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}: ${err || out}`);
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "ims-pg-"));
  if (process.getuid?.() === 0) {
    const pw = (await Bun.$`id -u postgres`.text()).trim();
    const gid = (await Bun.$`id -g postgres`.text()).trim();
    chownSync(dir, Number(pw), Number(gid));
  }
  const data = join(dir, "data");
  const port = freePort();
  await run([`${bin}/initdb`, "-D", data, "-U", "postgres", "--auth=trust", "--no-sync"]);
  let running = false;
  const server: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await run([`${bin}/pg_ctl`, "-D", data, "-l", join(dir, "server.log"), "-w", "-o", `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, "start"]);
      running = true;
    },
    async stop() {
      await run([`${bin}/pg_ctl`, "-D", data, "-m", "fast", "-w", "stop"]);
      running = false;
    },
    async destroy() {
      if (running) await server.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await server.start();
  } catch (e) {
    await server.destroy();
    throw e;
  }
  return server;
}
