/**
 * The service: config -> store (upstream's data files imported once) -> artifacts -> core -> HTTP.
 * On SIGTERM or SIGINT: report not-ready first, end the event streams, stop accepting, let
 * in-flight requests finish (bounded), stop the job watcher and the artifact worker, close the
 * store, exit 0.
 */
import { createIms } from "@ims/core";
import { openSshProbe } from "@ims/core/ssh-probe";
import { createApp } from "@ims/http";
import { redactUrl, sqliteFileOf, type Config } from "../config/index.ts";
import { describeAuth, describeRemoteNodes } from "../config/describe.ts";
import { openJobRuntime } from "./jobs-runtime.ts";
import { checkCanListen, listen } from "./listen.ts";
import { createLogger } from "./log.ts";
import { coreConfigOf, openArtifacts, openRecords } from "./open.ts";
import { storeAnswers } from "./readiness.ts";
import { upgradeInPlace } from "./upgrade-in-place.ts";
import { resolveVersion } from "./version.ts";
import { openTelemetry } from "../observe/telemetry.ts";

/** Runs until a stop signal; the process exits when shutdown is done. */
export async function serve(config: Readonly<Config>): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const version = resolveVersion(config.versionFile);
  checkCanListen({ host: config.host, port: config.port });
  // Before anything is opened: each port is wrapped as it is opened (metrics, traces).
  const telemetry = await openTelemetry(config.observability, version);
  const jobRuntime = openJobRuntime(config, logger, telemetry);
  const records = await openRecords(config, "write");
  await upgradeInPlace(config, records, logger).catch(async (e: unknown) => {
    await records.close();
    await telemetry.shutdown().catch(() => {});
    throw e;
  });
  const store = telemetry.records(records, sqliteFileOf(config.databaseUrl) === undefined ? "postgresql" : "sqlite");
  const opened = await openArtifacts(config).catch(async (e) => {
    await store.close();
    throw e;
  });
  logger.info(`artifact store: ${config.s3 ? "S3" : "local directory"}`, opened.described);
  // The key is looked for at every probe, so one that appears later is used without a restart.
  logger.info("remote build node probes over ssh", describeRemoteNodes(config.remoteNodes));
  const ims = createIms({
    store,
    artifacts: telemetry.artifacts(opened.artifacts, config.s3 ? "s3" : "local"),
    log: logger,
    config: coreConfigOf(config),
    worker: {
      leaseMs: config.operationLeaseMs,
      operationRetentionMs: config.operationRetentionMs,
      idempotencyTtlMs: config.idempotencyTtlMs,
      changeRetentionMs: config.eventRetentionMs,
      onStep: telemetry.onStep,
    },
    probe: openSshProbe(config.remoteNodes),
    ...jobRuntime.deps,
  });

  let ready = true;
  logger.info(config.auth ? "authentication: bearer JWT" : "authentication: off (as upstream: put IMS behind the API gateway, or set IMS_AUTH_JWKS_URL)", describeAuth(config.auth));
  const readiness = { ready: () => ready, dependencies: storeAnswers(records) };
  const app = createApp({
    ims, logger, version, maxBodyBytes: config.maxBodyBytes, readiness, auth: config.auth,
    observer: telemetry.observer, metrics: telemetry.metrics, eventHeartbeatMs: config.eventHeartbeatMs,
  });
  let server: ReturnType<typeof listen>;
  try {
    server = listen(app, { host: config.host, port: config.port });
  } catch (e) {
    // Nothing has run yet: a process that cannot listen must not work on the store either.
    opened.close();
    await store.close();
    throw e;
  }
  telemetry.listening(server.inFlight);
  ims.worker.start();
  jobRuntime.start(ims.ctx);
  logger.info("ready", { host: config.host, port: server.port, version, database: redactUrl(config.databaseUrl) });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ready = false;
    logger.info("shutting down", { signal });
    // Give load balancers time to see the 503 before the listener goes away.
    if (config.shutdownDelayMs > 0) await Bun.sleep(config.shutdownDelayMs);
    ims.events.close(); // event streams never end by themselves: end them, so the drain can finish
    const drained = await server.close(config.shutdownTimeoutMs);
    if (!drained) logger.warn("in-flight requests did not finish in time", { timeout_ms: config.shutdownTimeoutMs });
    await jobRuntime.stop();
    await ims.worker.stop();
    opened.close();
    await store.close();
    await telemetry.shutdown().catch((e) => logger.warn("could not export the last spans", { error: String(e) }));
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await new Promise<never>(() => {}); // until shutdown exits the process
}
