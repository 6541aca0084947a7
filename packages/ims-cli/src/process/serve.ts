/**
 * The service: config -> store -> artifacts -> core -> HTTP. On SIGTERM or SIGINT: report
 * not-ready first, stop accepting, let in-flight requests finish (bounded), stop the job watcher
 * and the artifact worker, close the store, exit 0.
 */
import { createIms } from "@ims/core";
import { openSshProbe } from "@ims/core/ssh-probe";
import { createApp } from "@ims/http";
import { redactUrl, type Config } from "../config/index.ts";
import { describeRemoteNodes } from "../config/describe.ts";
import { openJobRuntime } from "./jobs-runtime.ts";
import { checkCanListen, listen } from "./listen.ts";
import { createLogger } from "./log.ts";
import { openArtifacts, openRecords } from "./open.ts";
import { storeAnswers } from "./readiness.ts";
import { resolveVersion } from "./version.ts";

/** Runs until a stop signal; the process exits when shutdown is done. */
export async function serve(config: Readonly<Config>): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const version = resolveVersion(config.versionFile);
  checkCanListen({ host: config.host, port: config.port });
  const jobRuntime = openJobRuntime(config, logger);
  const store = await openRecords(config, "write");
  const opened = await openArtifacts(config).catch(async (e) => {
    await store.close();
    throw e;
  });
  logger.info(`artifact store: ${config.s3 ? "S3" : "local directory"}`, opened.described);
  // The key is looked for at every probe, so one that appears later is used without a restart.
  logger.info("remote build node probes over ssh", describeRemoteNodes(config.remoteNodes));
  const ims = createIms({
    store,
    artifacts: opened.artifacts,
    log: logger,
    config: {
      bootImagesBucket: config.bootImagesBucket,
      maxManifestBytes: config.maxManifestBytes,
      urlExpirationSeconds: config.urlExpirationSeconds,
      settleTimeoutMs: config.settleTimeoutMs,
    },
    worker: { leaseMs: config.operationLeaseMs, operationRetentionMs: config.operationRetentionMs, idempotencyTtlMs: config.idempotencyTtlMs },
    probe: openSshProbe(config.remoteNodes),
    ...jobRuntime.deps,
  });

  let ready = true;
  const readiness = { ready: () => ready, dependencies: storeAnswers(store) };
  const app = createApp({ ims, logger, version, maxBodyBytes: config.maxBodyBytes, readiness });
  let server: ReturnType<typeof listen>;
  try {
    server = listen(app, { host: config.host, port: config.port });
  } catch (e) {
    // Nothing has run yet: a process that cannot listen must not work on the store either.
    opened.close();
    await store.close();
    throw e;
  }
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
    const drained = await server.close(config.shutdownTimeoutMs);
    if (!drained) logger.warn("in-flight requests did not finish in time", { timeout_ms: config.shutdownTimeoutMs });
    await jobRuntime.stop();
    await ims.worker.stop();
    opened.close();
    await store.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await new Promise<never>(() => {}); // until shutdown exits the process
}
