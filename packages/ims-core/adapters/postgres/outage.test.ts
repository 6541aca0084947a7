/**
 * PostgreSQL going away under a running store, through a loopback TCP relay that is cut and
 * restored as a network outage would be: reads, transactions and the journal fail as
 * "unavailable" (the HTTP edge answers 503), and the store works again once the server is back.
 */
import { afterAll, expect, test } from "bun:test";
import { SQL } from "bun";
import { createServer, connect, type Server, type Socket } from "node:net";
import { ImsError } from "../../src/errors.ts";
import type { Image } from "../../src/records.ts";
import { openPostgresStore } from "./index.ts";

const baseUrl = new URL(process.env.IMS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test");
const database = `ims_outage_${process.pid}_${Date.now().toString(36)}`;
const admin = new SQL(baseUrl.toString());

/** A relay on a fixed loopback port to the test server; `cut` drops it and every connection through it. */
function relay(port = 0) {
  const sockets = new Set<Socket>();
  let server: Server;
  const listen = (at: number) =>
    new Promise<number>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(baseUrl.port || 5432), baseUrl.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(at, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
    });
  return {
    listen,
    async cut() {
      const closed = new Promise((r) => server.close(r));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

const image = (id: string): Image => ({ id, created: "2026-01-01T00:00:00", name: "n", link: null, arch: "x86_64", metadata: {} });
const outage = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ kind: "unavailable", detail: expect.stringMatching(/^The database \(PostgreSQL at 127\.0\.0\.1:\d+\/ims_outage_\w+\) cannot be reached: /) });

afterAll(async () => {
  await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  await admin.close();
});

test("a PostgreSQL outage is 'unavailable' for reads, transactions and the journal, and the store recovers", async () => {
  await admin.unsafe(`CREATE DATABASE ${database}`);
  const link = relay();
  const port = await link.listen(0);
  const store = await openPostgresStore({ url: `postgres://${baseUrl.username}@127.0.0.1:${port}/${database}`, maxConnections: 2 });
  try {
    await store.transaction((tx) => tx.insert("images", "a", image("a")));
    expect((await store.get("images", "a"))?.data.name).toBe("n");

    await link.cut();
    await outage(store.get("images", "a"));
    await outage(store.listJson("images"));
    await outage(store.transaction((tx) => tx.insert("images", "b", image("b"))));
    await outage(store.journal.list({ state: "pending" }));

    await link.listen(port);
    expect((await store.list("images")).map((r) => r.data.id)).toEqual(["a"]);
    // Errors that are not outages keep their own shape.
    const dup = await store.transaction((tx) => tx.insert("images", "a", image("a"))).catch((e: unknown) => e);
    expect(dup instanceof ImsError && dup.kind === "unavailable").toBe(false);
  } finally {
    await store.close();
    await link.cut();
  }
});
