/**
 * Every environment variable ims reads, declared once: its name, its default and what it means.
 * The readers (config/*.ts) take defaults from here, the README's tables are checked against it
 * (readme.test.ts), and reading a name not declared here throws (so any test that loads the
 * configuration catches it).
 */
import { DEFAULT_CORE_CONFIG as CORE, DEFAULT_JOBS_CONFIG as JOBS } from "@ims/core";
import { AUTH_DEFAULTS as AUTH } from "@ims/http";

/** The README section whose table lists the variable. */
/** The README sections with a configuration table, in the README's order. */
export const SECTIONS = ["service", "s3", "jobs", "auth", "observability"] as const;
export type Section = (typeof SECTIONS)[number];

export interface Variable {
  name: string;
  section: Section;
  /** The value used when the variable is unset or empty, as it would be written in the environment. */
  default?: string;
  /** How the README shows the default when it is not a literal value (e.g. "built-in"). */
  shown?: string;
  meaning: string;
}

const v = (section: Section, name: string, def: string | number | undefined, meaning: string, shown?: string): Variable => ({
  name, section, default: def === undefined ? undefined : String(def), meaning, ...(shown ? { shown } : {}),
});

const SERVICE: Variable[] = [
  v("service", "PORT", 9100, "listen port (1–65535)"),
  v("service", "HOST", "0.0.0.0", "listen address"),
  v("service", "DATABASE_URL", "sqlite:./var/ims.sqlite", "`sqlite:<path>`, `sqlite:///<abs path>`, a bare file path, or `postgres://…` / `postgresql://…`"),
  v("service", "IMS_ARTIFACTS_DIR", "./var/artifacts", "local artifact store when S3 is not configured (`s3://BUCKET/KEY` is `DIR/BUCKET/KEY`)"),
  v("service", "IMS_LEGACY_DATA_DIR", "/var/ims/data", "upstream's data directory: `ims serve` imports its JSON files into an empty database once, before listening (upgrade in place); missing, or without IMS data files: nothing to import"),
  v("service", "LOG_LEVEL", "info", "`debug`, `info`, `warn`, `error` (any case; `WARNING`, `CRITICAL` accepted)"),
  v("service", "MAX_BODY_BYTES", 1048576, "larger request bodies get 413"),
  v("service", "IMS_VERSION_FILE", "/app/.version", "`/version` answers its first line, else the repo's `.version`, else `Unknown`"),
  v("service", "SHUTDOWN_DELAY_MS", 0, "after SIGTERM, how long `/healthz/ready` answers 503 before the listener closes"),
  v("service", "SHUTDOWN_TIMEOUT_MS", 10000, "how long shutdown waits for in-flight requests"),
  v("service", "IMS_REMOTE_KEY_FILE", "./id_ecdsa", "private key used to probe remote build nodes over SSH (upstream keeps it in its working directory); a missing key is logged, and nodes then report \"Unable to connect\""),
  v("service", "IMS_REMOTE_SSH_PATH", "ssh", "the ssh client used for those probes (a name on `PATH`, or an executable file)"),
  v("service", "IMS_EVENTS_RETENTION_HOURS", 24, "how long committed changes stay in the change log; `/v3/events` replays them to a client resuming with `Last-Event-ID`, and tells one resuming from further back that it missed some (a `gap` event)"),
  v("service", "IMS_EVENTS_HEARTBEAT_SECONDS", 15, "how often an idle `/v3/events` stream sends a comment line, so proxies keep it open"),
];

const S3: Variable[] = [
  v("s3", "S3_ENDPOINT", undefined, "S3 (or Ceph RGW) URL, `http://` or `https://`; unset: artifacts live in `IMS_ARTIFACTS_DIR`"),
  v("s3", "S3_ACCESS_KEY", undefined, "IMS's access key; required with `S3_ENDPOINT`"),
  v("s3", "S3_SECRET_KEY", undefined, "IMS's secret key; required with `S3_ENDPOINT`"),
  v("s3", "S3_SSL_VALIDATE", undefined, "`false/off/no/f/0` or unset: no TLS verification; a true word: verify; anything else: a CA bundle path (must exist)", "off"),
  v("s3", "S3_STS_ACCESS_KEY", undefined, "with `S3_STS_SECRET_KEY` (both or neither): used only to copy objects whose ACL owner is `STS` (as upstream)"),
  v("s3", "S3_STS_SECRET_KEY", undefined, "the secret of `S3_STS_ACCESS_KEY`"),
  v("s3", "S3_STS_SSL_VALIDATE", undefined, "as `S3_SSL_VALIDATE`, for the STS credentials", "off"),
  v("s3", "S3_STS_ENDPOINT", undefined, "read and unused, as upstream (STS copies go to `S3_ENDPOINT`)"),
  v("s3", "S3_IMS_BUCKET", "ims", "recipes bucket (used by the orphan report)"),
  v("s3", "S3_BOOT_IMAGES_BUCKET", CORE.bootImagesBucket, "images bucket; deleted manifests go to `deleted/<id>/deleted_manifest.json` here"),
  v("s3", "S3_URL_EXPIRATION", CORE.urlExpirationSeconds, "presigned download URL lifetime handed to jobs (seconds, at most 7 days)"),
  v("s3", "S3_CONNECT_TIMEOUT", 60, "seconds to connect to S3"),
  v("s3", "S3_READ_TIMEOUT", 60, "seconds; an idle limit, so long copies are not cut off"),
  v("s3", "MAX_IMAGE_MANIFEST_SIZE_BYTES", CORE.maxManifestBytes, "a larger manifest is a 400"),
  v("s3", "S3_MULTIPART_THRESHOLD_BYTES", 5 * 1024 ** 3, "objects above it (5 GiB) are copied with multipart `UploadPartCopy`"),
  v("s3", "S3_MULTIPART_PART_BYTES", 512 * 1024 ** 2, "part size (512 MiB; 5 MiB – 5 GiB)"),
  v("s3", "S3_COPY_CONCURRENCY", 4, "parts copied in parallel (1–64)"),
  v("s3", "IMS_OPERATION_LEASE_MS", 60000, "how long a crashed replica's claimed work stays claimed before another takes it over"),
  v("s3", "IMS_OPERATION_RETENTION_DAYS", 30, "finished operations older than this leave the journal (pending ones never do)"),
  v("s3", "IDEMPOTENCY_KEY_TTL_HOURS", 24, "how long an `Idempotency-Key` replays its first answer"),
  v("s3", "IMS_SETTLE_TIMEOUT_MS", CORE.settleTimeoutMs, "how long an undelete or purge waits for earlier work on the same record before answering 409"),
  v("s3", "IMS_ARTIFACT_WAIT_MS", CORE.artifactWaitMs, "how long a delete, undelete or purge waits for its own artifact moves before answering (then the journal finishes them); `0`: answer `202 Accepted` at once, as `Prefer: respond-async` asks"),
];

const JOBS_VARS: Variable[] = [
  v("jobs", "IMS_KUBERNETES", "auto", "`none` forces no cluster (job creation answers 503); `auto` uses `KUBECONFIG`, else the pod's service account"),
  v("jobs", "KUBECONFIG", undefined, "one kubeconfig file, read at start-up"),
  v("jobs", "KUBERNETES_SERVICE_HOST", undefined, "set inside a pod: use the pod's service account"),
  v("jobs", "KUBERNETES_SERVICE_PORT", undefined, "the API server port inside a pod"),
  v("jobs", "DEFAULT_IMS_JOB_NAMESPACE", JOBS.namespace, "namespace of every per-job object (must exist)"),
  v("jobs", "IMS_JOB_TEMPLATE_PATH", undefined, "directory overriding the Handlebars templates, same layout as `packages/ims-templates/templates`; a missing file falls back to the built-in one", "built-in"),
  v("jobs", "API_GATEWAY_HOSTNAME", JOBS.apiGatewayHostname, "passed to the job pods"),
  v("jobs", "JOB_CUSTOMER_ACCESS_NETWORK_ACCESS_POOL", JOBS.accessPool, "MetalLB pool of the job Service"),
  v("jobs", "JOB_CUSTOMER_ACCESS_SUBNET_NAME", JOBS.subnetName, "external SSH host `<id>.ims.<subnet>.<domain>`: the subnet"),
  v("jobs", "JOB_CUSTOMER_ACCESS_NETWORK_DOMAIN", JOBS.networkDomain, "external SSH host `<id>.ims.<subnet>.<domain>`: the domain"),
  v("jobs", "JOB_ENABLE_DKMS", "True", "default DKMS for customize jobs (`true`, `1`, `t` in any case)"),
  v("jobs", "JOB_KATA_RUNTIME", JOBS.kataRuntime, "runtime class of DKMS jobs"),
  v("jobs", "JOB_AARCH64_RUNTIME", JOBS.aarch64Runtime, "runtime class of aarch64 jobs"),
  v("jobs", "DEFAULT_IMS_IMAGE_SIZE", JOBS.defaultImageSize, "GiB default of `build_env_size`"),
  v("jobs", "DEFAULT_IMS_JOB_MEM_SIZE", JOBS.defaultJobMemSize, "GiB default of `job_mem_size`"),
  v("jobs", "DEFAULT_IMS_JOB_REMOTE_TIMEOUT_COUNT", JOBS.remoteTimeoutCount, "remote build node heartbeat count"),
  v("jobs", "IMS_JOB_WAITING_LIMIT_HOURS", JOBS.waitingLimitMs / 3_600_000, "unfinished jobs older than this are reported and moved to `error`"),
  ...(
    [
      ["IMS_JOB_IMAGE_UTILS", "utils"],
      ["IMS_JOB_IMAGE_SSHD", "sshd"],
      ["IMS_JOB_IMAGE_KIWI_NG", "Kiwi-NG builder"],
      ["IMS_JOB_IMAGE_KIWI_NG_AARCH64", "aarch64 Kiwi-NG builder"],
      ["IMS_JOB_IMAGE_PACKER", "Packer builder"],
    ] as const
  ).map(([name, what]) => v("jobs", name, undefined, `container image of the job pods' ${what}, \`repository:tag\``, "upstream chart's image")),
  v("jobs", "IMS_JOB_IMAGE_PULL_POLICY", "IfNotPresent", "`Always`, `IfNotPresent` or `Never` for the images set above"),
  v("jobs", "IMS_JOB_SIGNING_KEY_SECRET", `${JOBS.signingKeySecret.namespace}/${JOBS.signingKeySecret.name}`, "`namespace/name` of the Secret copied into each job as `cray-ims-<id>-signing-keys`"),
];

const AUTH_VARS: Variable[] = [
  v("auth", "IMS_AUTH_JWKS_URL", undefined, "`http://` or `https://` URL of the JWKS holding the token signing keys (Keycloak: `…/realms/<realm>/protocol/openid-connect/certs`); set: every request but `/healthz/*`, `/version` and `/openapi.*` needs a valid bearer JWT; unset: no authentication (upstream's behaviour)", "off"),
  v("auth", "IMS_AUTH_ISSUER", undefined, "accepted `iss` values, comma-separated; unset: any issuer"),
  v("auth", "IMS_AUTH_AUDIENCE", undefined, "accepted `aud` values, comma-separated (the token must name one); unset: any audience"),
  v("auth", "IMS_AUTH_ROLES_CLAIM", AUTH.rolesClaim, "dot-separated path of the claim holding the token's roles (a list of strings)"),
  v("auth", "IMS_AUTH_READ_ROLE", AUTH.readRole, "role that may only read: `GET`, `HEAD`, `OPTIONS`"),
  v("auth", "IMS_AUTH_ADMIN_ROLE", AUTH.adminRole, "role that may do everything"),
  v("auth", "IMS_AUTH_JOB_ROLE", undefined, "role that may `PATCH` a job (the job pods' status reports) and nothing else; unset: none"),
];

const OBSERVABILITY: Variable[] = [
  v("observability", "IMS_METRICS", "on", "`off`: nothing is measured and `/metrics` answers 404"),
  v("observability", "OTEL_EXPORTER_OTLP_ENDPOINT", undefined, "OTLP/HTTP base URL (e.g. `http://otel-collector:4318`); spans go to `<URL>/v1/traces`; unset (and no traces endpoint): no tracing, and no OpenTelemetry code is loaded"),
  v("observability", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", undefined, "the full URL spans are sent to, instead of the one derived from `OTEL_EXPORTER_OTLP_ENDPOINT`"),
  v("observability", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "`http/protobuf` or `http/json` (gRPC is not supported)"),
  v("observability", "OTEL_EXPORTER_OTLP_HEADERS", undefined, "headers sent with each export, `key=value,key2=value2` (values percent-encoded), e.g. an authorization token"),
  v("observability", "OTEL_SERVICE_NAME", "ims", "the `service.name` of the spans"),
];

export const VARIABLES: readonly Variable[] = Object.freeze([...SERVICE, ...S3, ...JOBS_VARS, ...AUTH_VARS, ...OBSERVABILITY]);

const BY_NAME = new Map(VARIABLES.map((x) => [x.name, x]));

/** The declaration of `name`; reading an undeclared variable is a programming error. */
export function variable(name: string): Variable {
  const found = BY_NAME.get(name);
  if (!found) throw new Error(`environment variable ${name} is read but not declared in config/variables.ts`);
  return found;
}
