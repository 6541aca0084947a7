/**
 * Turns a kubeconfig (or the in-cluster service account) into what the fetch transport needs.
 * Parsed here rather than by the client's KubeConfig because under Bun the client's TLS agent
 * options are dropped (see transport.ts); we only need the server, TLS material and a token.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";

export interface Connection {
  /** API server base URL without a trailing slash. */
  server: string;
  tls: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean; serverName?: string };
  /** Bearer token source; re-read for files because projected tokens rotate. */
  token?: () => Promise<string | undefined>;
}

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

type Dict = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const b64 = (v: unknown) => (str(v) ? Buffer.from(v as string, "base64").toString("utf8") : undefined);

/** kubeconfig lists are [{name, cluster|user|context}]: pick the entry called `name`. */
function entry(doc: Dict, list: string, field: string, name: string): Dict {
  const items = Array.isArray(doc[list]) ? (doc[list] as Dict[]) : [];
  const found = items.find((i) => i?.name === name);
  if (!found || typeof found[field] !== "object" || found[field] === null) {
    throw new Error(`kubeconfig: no ${field} named '${name}' in ${list}`);
  }
  return found[field] as Dict;
}

/** Reads an inline `*-data` field or the file it names (relative to `baseDir`). */
function material(data: unknown, file: unknown, baseDir: string): string | undefined {
  if (str(data)) return b64(data);
  const path = str(file);
  if (!path) return undefined;
  return readFileSync(isAbsolute(path) ? path : join(baseDir, path), "utf8");
}

/** Cache a file-backed token for a minute: fresh enough for rotation, no read per request. */
function fileToken(path: string): () => Promise<string | undefined> {
  let cached: { value: string; at: number } | undefined;
  return async () => {
    if (!cached || Date.now() - cached.at > 60_000) {
      cached = { value: (await Bun.file(path).text()).trim(), at: Date.now() };
    }
    return cached.value;
  };
}

export function fromKubeconfig(yaml: string, opts: { baseDir?: string; context?: string } = {}): Connection {
  const doc = Bun.YAML.parse(yaml) as Dict;
  if (!doc || typeof doc !== "object") throw new Error("kubeconfig: not a YAML mapping");
  const baseDir = opts.baseDir ?? process.cwd();
  const ctxName = opts.context ?? str(doc["current-context"]);
  if (!ctxName) throw new Error("kubeconfig: no current-context");
  const ctx = entry(doc, "contexts", "context", ctxName);
  const cluster = entry(doc, "clusters", "cluster", String(ctx.cluster));
  const user = ctx.user ? entry(doc, "users", "user", String(ctx.user)) : {};
  const server = str(cluster.server);
  if (!server) throw new Error(`kubeconfig: cluster '${ctx.cluster}' has no server`);
  // Refuse auth we would silently ignore: a request without credentials fails far less clearly.
  for (const unsupported of ["exec", "auth-provider", "username"]) {
    if (user[unsupported] !== undefined) throw new Error(`kubeconfig: user auth '${unsupported}' is not supported`);
  }
  const cert = material(user["client-certificate-data"], user["client-certificate"], baseDir);
  const key = material(user["client-key-data"], user["client-key"], baseDir);
  if (Boolean(cert) !== Boolean(key)) throw new Error("kubeconfig: client certificate and key must be given together");
  const tokenFile = str(user.tokenFile);
  const token = str(user.token)
    ? async () => user.token as string
    : tokenFile
      ? fileToken(isAbsolute(tokenFile) ? tokenFile : join(baseDir, tokenFile))
      : undefined;
  return {
    server: server.replace(/\/+$/, ""),
    tls: {
      ca: material(cluster["certificate-authority-data"], cluster["certificate-authority"], baseDir),
      cert,
      key,
      rejectUnauthorized: cluster["insecure-skip-tls-verify"] !== true,
      serverName: str(cluster["tls-server-name"]),
    },
    token,
  };
}

export interface InClusterOptions {
  serviceHost: string;
  servicePort: string | number;
  /** Where token and ca.crt live; tests point it at a temp dir. */
  serviceAccountDir?: string;
}

export function inCluster(opts: InClusterOptions): Connection {
  const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = opts.serviceHost.includes(":") ? `[${opts.serviceHost}]` : opts.serviceHost; // IPv6
  return {
    server: `https://${host}:${opts.servicePort}`,
    tls: { ca: readFileSync(join(dir, "ca.crt"), "utf8"), rejectUnauthorized: true },
    token: fileToken(join(dir, "token")),
  };
}

/** The one place that looks at environment variables, and only those handed to it. */
export function fromInClusterEnv(env: Record<string, string | undefined>): InClusterOptions & { inCluster: true } {
  const serviceHost = env.KUBERNETES_SERVICE_HOST;
  const servicePort = env.KUBERNETES_SERVICE_PORT;
  if (!serviceHost || !servicePort) {
    throw new Error("in-cluster config needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT");
  }
  return { inCluster: true, serviceHost, servicePort };
}
