/**
 * A local Kubernetes API server for tests (no kube-apiserver can run here). It follows the real
 * wire behaviour the adapter depends on: URL layout, Status error bodies, resourceVersions,
 * label selectors, watch streams (newline-delimited JSON) and 410 Gone after compaction.
 * Test hooks: change Job status, delete out of band, compact history, end watches, inject faults,
 * and `requests` records everything received.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Obj = Record<string, any>;

interface Resource {
  plural: string;
  kind: string;
  group: string; // "" for core
  version: string;
  builtin: boolean; // built-in lists omit kind/apiVersion on items; custom resources keep them
}

const RESOURCES: Resource[] = [
  { plural: "configmaps", kind: "ConfigMap", group: "", version: "v1", builtin: true },
  { plural: "services", kind: "Service", group: "", version: "v1", builtin: true },
  { plural: "persistentvolumeclaims", kind: "PersistentVolumeClaim", group: "", version: "v1", builtin: true },
  { plural: "secrets", kind: "Secret", group: "", version: "v1", builtin: true },
  { plural: "jobs", kind: "Job", group: "batch", version: "v1", builtin: true },
  { plural: "destinationrules", kind: "DestinationRule", group: "networking.istio.io", version: "v1beta1", builtin: false },
];
const apiVersionOf = (r: Resource) => (r.group ? `${r.group}/${r.version}` : r.version);
const qualified = (r: Resource) => (r.group ? `${r.plural}.${r.group}` : r.plural); // as in real messages

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
}

/** A fault served instead of the normal answer (or, with only delayMs, before it). */
export interface Fault {
  method?: string;
  /** Substring of, or pattern for, the request path. */
  path?: string | RegExp;
  /** How many requests it applies to (default 1). */
  times?: number;
  status?: number;
  reason?: string;
  message?: string;
  /** Wait this long first; with no status the request is then handled normally. */
  delayMs?: number;
}

export interface FakeKubeOptions {
  /** Serve HTTPS; with clientCa, require a client certificate signed by it (TLS handshake). */
  tls?: { cert: string; key: string; clientCa?: string };
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  /** Events kept for watches; older resourceVersions get 410 Gone. */
  historyLimit?: number;
}

export function status(code: number, reason: string, message: string, details?: Obj): Obj {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}

const json = (body: unknown, code = 200) =>
  new Response(JSON.stringify(body), { status: code, headers: { "content-type": "application/json" } });

/** Label selectors as the API server takes them: k=v, k==v, k!=v, k, !k (comma = and). */
function selectorMatcher(selector: string | null): ((labels: Obj | undefined) => boolean) | string {
  if (!selector) return () => true;
  const terms: ((l: Obj) => boolean)[] = [];
  for (const raw of selector.split(",")) {
    const term = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^([\w./-]+)\s*!=\s*([\w.-]*)$/))) terms.push((l) => l[m![1]] !== m![2]);
    else if ((m = term.match(/^([\w./-]+)\s*==?\s*([\w.-]*)$/))) terms.push((l) => l[m![1]] === m![2]);
    else if ((m = term.match(/^!([\w./-]+)$/))) terms.push((l) => !(m![1] in l));
    else if ((m = term.match(/^([\w./-]+)$/))) terms.push((l) => m![1] in l);
    else return `unable to parse requirement: ${term}`;
  }
  return (labels) => terms.every((t) => t(labels ?? {}));
}

interface Event {
  rv: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  plural: string;
  namespace: string;
  object: Obj;
}

interface Watcher {
  plural: string;
  namespace: string;
  matches: (labels: Obj | undefined) => boolean;
  send(line: Obj): void;
  close(): void;
}

export class FakeKube {
  readonly requests: RecordedRequest[] = [];
  /** How a too-old watch is refused: HTTP 410, or 200 then an ERROR event (what apiservers do). */
  goneAs: "status" | "event" = "event";
  private objects = new Map<string, Obj>();
  private history: Event[] = [];
  private rv = 100;
  private compactedRv = 100;
  private watchers = new Set<Watcher>();
  private faults: Fault[] = [];
  private server: ReturnType<typeof Bun.serve>;

  constructor(private options: FakeKubeOptions = {}) {
    const tls = options.tls;
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      idleTimeout: 0, // watches are long and quiet
      ...(tls
        ? { tls: { cert: tls.cert, key: tls.key, ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}) } }
        : {}),
      fetch: (req) => this.handle(req),
    });
  }

  get url(): string {
    return `${this.options.tls ? "https" : "http"}://127.0.0.1:${this.server.port}`;
  }

  stop(): void {
    this.endWatches();
    this.server.stop(true);
  }

  // ---- test hooks ----

  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** The URL of a kind's collection in `namespace` (its list endpoint), from the kinds this server serves. */
  collectionUrl(plural: string, namespace: string): string {
    const r = RESOURCES.find((x) => x.plural === plural);
    if (!r) throw new Error(`fake kube: unknown resource ${plural}`);
    return `${this.url}/${r.group ? `apis/${r.group}` : "api"}/${r.version}/namespaces/${namespace}/${plural}`;
  }

  /** Stored object, as the API would return it. */
  get(plural: string, namespace: string, name: string): Obj | undefined {
    const o = this.objects.get(`${plural}/${namespace}/${name}`);
    return o && structuredClone(o);
  }

  /** Creates an object directly (e.g. a source Secret), emitting ADDED. */
  seed(namespace: string, object: Obj): Obj {
    const r = RESOURCES.find((x) => x.kind === object.kind && apiVersionOf(x) === object.apiVersion);
    if (!r) throw new Error(`fake kube: unknown kind ${object.apiVersion}/${object.kind}`);
    return this.store(r, namespace, structuredClone(object), "ADDED");
  }

  /** What the Job controller would do when the pod ends. */
  setJobStatus(namespace: string, name: string, s: { failed?: number; succeeded?: number; active?: number }): void {
    const job = this.objects.get(`jobs/${namespace}/${name}`);
    if (!job) throw new Error(`fake kube: no job ${namespace}/${name}`);
    const conditions = [];
    if (s.failed) conditions.push({ type: "Failed", status: "True", reason: "BackoffLimitExceeded" });
    if (s.succeeded) conditions.push({ type: "Complete", status: "True" });
    job.status = { ...s, ...(conditions.length ? { conditions } : {}) };
    this.store(RESOURCES.find((r) => r.plural === "jobs")!, namespace, job, "MODIFIED");
  }

  /** Deletion by someone else (kubectl, TTL controller), emitting DELETED. */
  deleteObject(plural: string, namespace: string, name: string): boolean {
    return this.remove(plural, namespace, name) !== undefined;
  }

  /** Forget all history: a watch from any version seen so far gets 410 Gone. */
  compact(): void {
    this.history = [];
    this.compactedRv = this.rv;
  }

  /** Close every open watch stream, as an apiserver restart or LB timeout would. */
  endWatches(): void {
    for (const w of this.watchers) w.close();
    this.watchers.clear();
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  // ---- storage ----

  private store(r: Resource, namespace: string, object: Obj, type: Event["type"]): Obj {
    this.rv++;
    object.metadata.resourceVersion = String(this.rv);
    this.objects.set(`${r.plural}/${namespace}/${object.metadata.name}`, object);
    this.publish({ rv: this.rv, type, plural: r.plural, namespace, object: structuredClone(object) });
    return structuredClone(object);
  }

  private remove(plural: string, namespace: string, name: string): Obj | undefined {
    const key = `${plural}/${namespace}/${name}`;
    const object = this.objects.get(key);
    if (!object) return undefined;
    this.objects.delete(key);
    this.rv++;
    object.metadata.resourceVersion = String(this.rv); // DELETED carries a new version, as in etcd
    this.publish({ rv: this.rv, type: "DELETED", plural, namespace, object: structuredClone(object) });
    return object;
  }

  private publish(event: Event): void {
    this.history.push(event);
    const limit = this.options.historyLimit ?? 1000;
    if (this.history.length > limit) this.compactedRv = this.history.splice(0, this.history.length - limit).at(-1)!.rv;
    for (const w of this.watchers) {
      if (w.plural === event.plural && w.namespace === event.namespace && w.matches(event.object.metadata.labels)) {
        w.send({ type: event.type, object: event.object });
      }
    }
  }

  // ---- HTTP ----

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const text = await req.text();
    let body: unknown = text || undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {}
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => (headers[k] = v));
    this.requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body });

    const fault = this.faults.find(
      (f) =>
        (!f.method || f.method === req.method) &&
        (!f.path || (typeof f.path === "string" ? url.pathname.includes(f.path) : f.path.test(url.pathname))),
    );
    if (fault) {
      if (--fault.times! <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      if (fault.delayMs) await Bun.sleep(fault.delayMs);
      if (fault.status) return json(status(fault.status, fault.reason ?? "InternalError", fault.message ?? "injected fault"), fault.status);
    }

    if (this.options.token !== undefined && headers.authorization !== `Bearer ${this.options.token}`) {
      return json(status(401, "Unauthorized", "Unauthorized"), 401);
    }
    const route = this.route(url.pathname);
    if (!route) return json(status(404, "NotFound", "the server could not find the requested resource", {}), 404);
    const { r, namespace, name } = route;
    const q = url.searchParams;
    if (req.method === "GET" && name) return this.read(r, namespace, name);
    if (req.method === "GET" && (q.get("watch") === "true" || q.get("watch") === "1")) return this.watch(r, namespace, q);
    if (req.method === "GET") return this.list(r, namespace, q);
    if (req.method === "POST" && !name) return this.create(r, namespace, body);
    if (req.method === "DELETE" && name) return this.delete(r, namespace, name);
    return json(status(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`, {}), 405);
  }

  private route(path: string): { r: Resource; namespace: string; name?: string } | undefined {
    const m =
      path.match(/^\/api\/(v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/) ??
      path.match(/^\/apis\/([^/]+\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/);
    if (!m) return undefined;
    const r = RESOURCES.find((x) => apiVersionOf(x) === m[1] && x.plural === m[3]);
    return r && { r, namespace: decodeURIComponent(m[2]), name: m[4] && decodeURIComponent(m[4]) };
  }

  private notFound(r: Resource, name: string): Response {
    return json(status(404, "NotFound", `${qualified(r)} "${name}" not found`, { name, ...(r.group ? { group: r.group } : {}), kind: r.plural }), 404);
  }

  private read(r: Resource, namespace: string, name: string): Response {
    const o = this.get(r.plural, namespace, name);
    return o ? json(o) : this.notFound(r, name);
  }

  private create(r: Resource, namespace: string, body: unknown): Response {
    if (!body || typeof body !== "object") return json(status(400, "BadRequest", "the object provided is unrecognized"), 400);
    const o = structuredClone(body) as Obj;
    if (o.apiVersion !== apiVersionOf(r) || o.kind !== r.kind) {
      return json(status(400, "BadRequest", `the API version in the data (${o.apiVersion}) does not match the expected API version (${apiVersionOf(r)})`), 400);
    }
    o.metadata ??= {};
    if (o.metadata.namespace && o.metadata.namespace !== namespace) {
      return json(status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request"), 400);
    }
    const name = o.metadata.name;
    if (!name) {
      return json(status(422, "Invalid", `${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`), 422);
    }
    if (this.objects.has(`${r.plural}/${namespace}/${name}`)) {
      return json(status(409, "AlreadyExists", `${qualified(r)} "${name}" already exists`, { name, ...(r.group ? { group: r.group } : {}), kind: r.plural }), 409);
    }
    o.metadata = { ...o.metadata, namespace, uid: crypto.randomUUID(), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z") };
    if (r.kind === "Job") o.status ??= {};
    return json(this.store(r, namespace, o, "ADDED"), 201);
  }

  private delete(r: Resource, namespace: string, name: string): Response {
    const o = this.remove(r.plural, namespace, name);
    if (!o) return this.notFound(r, name);
    return json({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, ...(r.group ? { group: r.group } : {}), kind: r.plural, uid: o.metadata.uid } });
  }

  private matching(r: Resource, namespace: string, matches: (l: Obj | undefined) => boolean): Obj[] {
    const prefix = `${r.plural}/${namespace}/`;
    return [...this.objects.entries()]
      .filter(([k, o]) => k.startsWith(prefix) && matches(o.metadata.labels))
      .map(([, o]) => structuredClone(o));
  }

  private list(r: Resource, namespace: string, q: URLSearchParams): Response {
    const matches = selectorMatcher(q.get("labelSelector"));
    if (typeof matches === "string") return json(status(400, "BadRequest", matches), 400);
    const rv = q.get("resourceVersion");
    if (rv && Number(rv) > this.rv) {
      return json(status(504, "Timeout", `Timeout: Too large resource version: ${rv}, current: ${this.rv}`), 504);
    }
    const items = this.matching(r, namespace, matches).map((o) => {
      if (!r.builtin) return o;
      const { kind, apiVersion, ...rest } = o;
      return rest;
    });
    return json({ kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(this.rv) }, items });
  }

  private watch(r: Resource, namespace: string, q: URLSearchParams): Response {
    const matches = selectorMatcher(q.get("labelSelector"));
    if (typeof matches === "string") return json(status(400, "BadRequest", matches), 400);
    const rvParam = q.get("resourceVersion");
    const from = rvParam && rvParam !== "0" ? Number(rvParam) : undefined;
    if (from !== undefined && from < this.compactedRv) {
      const gone = status(410, "Expired", `too old resource version: ${from} (${this.compactedRv})`);
      if (this.goneAs === "status") return json(gone, 410);
      return this.stream((send, close) => {
        send({ type: "ERROR", object: gone });
        close();
      });
    }
    const timeout = Number(q.get("timeoutSeconds") ?? 0);
    return this.stream((send, close) => {
      // No version (or "0"): current state as ADDED first; otherwise every event after `from`.
      if (from === undefined) for (const o of this.matching(r, namespace, matches)) send({ type: "ADDED", object: o });
      else
        for (const e of this.history) {
          if (e.rv > from && e.plural === r.plural && e.namespace === namespace && matches(e.object.metadata.labels)) {
            send({ type: e.type, object: e.object });
          }
        }
      const watcher: Watcher = { plural: r.plural, namespace, matches, send, close };
      this.watchers.add(watcher);
      if (timeout > 0) setTimeout(close, timeout * 1000).unref();
      return watcher;
    });
  }

  private stream(start: (send: (line: Obj) => void, close: () => void) => Watcher | void): Response {
    const encoder = new TextEncoder();
    let watcher: Watcher | void;
    let closed = false;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        const send = (line: Obj) => !closed && controller.enqueue(encoder.encode(JSON.stringify(line) + "\n"));
        const close = () => {
          if (closed) return;
          closed = true;
          if (watcher) this.watchers.delete(watcher);
          controller.close();
        };
        watcher = start(send, close);
        if (closed && watcher) this.watchers.delete(watcher);
      },
      cancel: () => {
        closed = true;
        if (watcher) this.watchers.delete(watcher);
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  }
}

// ---- TLS material and kubeconfig for tests ----

export interface TestPki {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: trusting it must fail verification. */
  otherCa: string;
  path(name: "ca.crt" | "server.crt" | "server.key" | "client.crt" | "client.key" | "other-ca.crt"): string;
}

/** Generates a private CA, a server cert for 127.0.0.1/localhost and a client cert with openssl. */
export async function makeTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), "ims-kube-pki-"));
  const run = async (...args: string[]) => {
    const p = Bun.spawn(["openssl", ...args], { cwd: dir, stdout: "ignore", stderr: "pipe" });
    if ((await p.exited) !== 0) throw new Error(`openssl ${args[0]} failed: ${await new Response(p.stderr).text()}`);
  };
  const days = ["-days", "2"];
  await run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", ...days, "-subj", "/CN=ims-test-ca");
  await run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.crt", ...days, "-subj", "/CN=other-ca");
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  for (const [who, subj] of [["server", "/CN=kube-apiserver"], ["client", "/O=system:masters/CN=ims"]]) {
    await run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${who}.key`, "-out", `${who}.csr`, "-subj", subj);
    await run("x509", "-req", "-in", `${who}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${who}.crt`, ...days, "-extfile", `${who}.ext`);
  }
  const read = (f: string) => Bun.file(join(dir, f)).text();
  return {
    dir,
    ca: await read("ca.crt"),
    serverCert: await read("server.crt"),
    serverKey: await read("server.key"),
    clientCert: await read("client.crt"),
    clientKey: await read("client.key"),
    otherCa: await read("other-ca.crt"),
    path: (name) => join(dir, name),
  };
}

export interface KubeconfigSpec {
  server: string;
  /** PEM: written inline as certificate-authority-data. */
  ca?: string;
  /** Path: written as certificate-authority. */
  caFile?: string;
  insecure?: boolean;
  clientCert?: string;
  clientKey?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  token?: string;
  tokenFile?: string;
}

/** Writes a one-context kubeconfig into `dir`; returns its path and text. */
export function writeKubeconfig(dir: string, spec: KubeconfigSpec): { path: string; yaml: string } {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const cluster: Obj = { server: spec.server };
  if (spec.ca) cluster["certificate-authority-data"] = b64(spec.ca);
  if (spec.caFile) cluster["certificate-authority"] = spec.caFile;
  if (spec.insecure) cluster["insecure-skip-tls-verify"] = true;
  const user: Obj = {};
  if (spec.clientCert) user["client-certificate-data"] = b64(spec.clientCert);
  if (spec.clientKey) user["client-key-data"] = b64(spec.clientKey);
  if (spec.clientCertFile) user["client-certificate"] = spec.clientCertFile;
  if (spec.clientKeyFile) user["client-key"] = spec.clientKeyFile;
  if (spec.token) user.token = spec.token;
  if (spec.tokenFile) user.tokenFile = spec.tokenFile;
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "test", cluster }],
    users: [{ name: "test", user }],
    contexts: [{ name: "test", context: { cluster: "test", user: "test", namespace: "ims" } }],
    "current-context": "test",
  };
  const yaml = Bun.YAML.stringify(doc, null, 2);
  const path = join(dir, "kubeconfig");
  writeFileSync(path, yaml);
  return { path, yaml };
}
