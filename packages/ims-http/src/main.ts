/**
 * The service entry (`bun run start`): config -> store -> artifacts -> core -> HTTP. On SIGTERM
 * or SIGINT: report not-ready first, stop accepting, let in-flight requests finish (bounded),
 * stop the job watcher and the artifact worker, close the store, exit 0.
 */
import { createIms, type ArtifactStore } from "@ims/core";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openStore } from "@ims/core/open-store";
import { openS3Artifacts } from "@ims/core/s3";
import { openSshProbe } from "@ims/core/ssh-probe";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { describeS3 } from "./config-s3.ts";
import { describeRemoteNodes } from "./config-remote.ts";
import { openJobRuntime } from "./jobs-runtime.ts";
import { createLogger, type Logger } from "./log.ts";
import { listen } from "./server.ts";
import { resolveVersion } from "./version.ts";

/** Never log database passwords. */
const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");

function configOrExit(): Readonly<Config> {
  try {
    return loadConfig(process.env);
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : String(e));
    process.exit(1);
  }
}

/** S3 when S3_ENDPOINT is set, else the local directory. */
async function openArtifacts(config: Readonly<Config>, logger: Logger): Promise<ArtifactStore & { close?(): void }> {
  const buckets = { boot_images_bucket: config.bootImagesBucket, ims_bucket: config.imsBucket };
  if (config.s3) {
    logger.info("artifact store: S3", { ...describeS3(config.s3), ...buckets });
    return openS3Artifacts(config.s3);
  }
  logger.info("artifact store: local directory", { dir: config.artifactsDir, ...buckets });
  return openLocalArtifacts({ dir: config.artifactsDir });
}

async function main() {
  const config = configOrExit();
  const logger = createLogger({ level: config.logLevel });
  const version = resolveVersion(config.versionFile);
  const jobRuntime = openJobRuntime(config, logger);
  const store = await openStore(config.databaseUrl);
  const artifacts = await openArtifacts(config, logger);
  // The key is looked for at every probe, so one that appears later is used without a restart.
  logger.info("remote build node probes over ssh", describeRemoteNodes(config.remoteNodes));
  const ims = createIms({
    store,
    artifacts,
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
  ims.worker.start();
  jobRuntime.start(ims.ctx);

  let ready = true;
  const app = createApp({ ims, logger, version, maxBodyBytes: config.maxBodyBytes, readiness: { ready: () => ready } });
  const server = listen(app, { host: config.host, port: config.port });
  logger.info("ready", { host: config.host, port: server.port, version, database: redact(config.databaseUrl) });

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
    artifacts.close?.();
    await store.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((e) => {
  console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", msg: "start-up failed", error: String(e?.stack ?? e) }));
  process.exit(1);
});
