/**
 * A random, checkable workload for several service processes sharing one database. An id has at
 * most one operation in flight, or one deliberate race between two processes whose outcome is
 * still determined (one 204 and one 404, one 200 and one 412), so the final state of every id is
 * known exactly and every answer has one right status. Test-only.
 */
import { asciiOnly, canonicalJson } from "@ims/core";

export type Kind = "public-keys" | "recipes" | "images";
export const KINDS: readonly Kind[] = ["public-keys", "recipes", "images"];

export interface Entity {
  kind: Kind;
  id: string;
  state: "live" | "deleted" | "gone";
  /** The record as last acknowledged (without `deleted`). */
  data: Record<string, any>;
  /** The live record's ETag when known (after create or patch). */
  etag?: string;
  busy: boolean;
}

export interface Node {
  xname: string;
  present: boolean;
  busy: boolean;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON, or the text when it is not JSON; undefined when empty. */
  body: any;
  etag: string | null;
}

export interface Workload {
  entities: Map<string, Entity>;
  nodes: Map<string, Node>;
  failures: string[];
  /** How many operations of each name ran. */
  counts: Record<string, number>;
}

/** mulberry32: small, seedable, good enough to pick operations. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] = "application/json";
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, text, body: parsed, etag: res.headers.get("etag") };
}

const CREATE_BODY: Record<Kind, (n: number) => Record<string, unknown>> = {
  "public-keys": (n) => ({ name: `key-${n}`, public_key: `ssh-ed25519 AAAA${n}` }),
  recipes: (n) => ({ name: `recipe-${n}`, recipe_type: "kiwi-ng", linux_distribution: "sles15" }),
  images: (n) => ({ name: `image-${n}`, metadata: { n: String(n) } }),
};

const NODE_POOL = 24;
const PREFIXES = ["", "/v2", "/v3"];

type Op = () => Promise<void> | undefined;

/** Runs `total` random operations over `servers`, at most `concurrency` at a time. */
export async function runWorkload(servers: string[], opts: { total: number; concurrency: number; seed: number }): Promise<Workload> {
  const rnd = random(opts.seed);
  const w: Workload = { entities: new Map(), nodes: new Map(), failures: [], counts: {} };
  for (let i = 0; i < NODE_POOL; i++) {
    const xname = `x3000c0s${i}b0n0`;
    w.nodes.set(xname, { xname, present: false, busy: false });
  }
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const server = () => pick(servers);
  const two = () => (rnd() < 0.5 ? [servers[0]!, servers[1]!] : [servers[1]!, servers[0]!]);
  let serial = 0;

  const fail = (what: string, detail: unknown) => void w.failures.push(`${what}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  const expectStatus = (what: string, res: Answer, status: number) => {
    if (res.status !== status) fail(what, `expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
    return res.status === status;
  };
  /** Two racing requests: exactly these statuses, in either order; returns the winner. */
  const expectRace = (what: string, answers: Answer[], win: number, lose: number) => {
    const statuses = answers.map((a) => a.status).sort();
    if (JSON.stringify(statuses) !== JSON.stringify([win, lose].sort())) fail(what, { statuses, texts: answers.map((a) => a.text.slice(0, 200)) });
    return answers.find((a) => a.status === win);
  };

  /** Claims an idle entity matching `pred` (synchronously, so no other worker takes it). */
  const claim = (pred: (e: Entity) => boolean): Entity | undefined => {
    const candidates = [...w.entities.values()].filter((e) => !e.busy && pred(e));
    if (!candidates.length) return undefined;
    const e = pick(candidates);
    e.busy = true;
    return e;
  };
  const withEntity = (pred: (e: Entity) => boolean, fn: (e: Entity) => Promise<void>): Promise<void> | undefined => {
    const e = claim(pred);
    return e && fn(e).finally(() => (e.busy = false));
  };
  const live = (e: Entity) => e.state === "live";
  const deleted = (e: Entity) => e.state === "deleted";
  const patchable = (e: Entity) => live(e) && e.kind !== "public-keys";

  const create: Op = async () => {
    const kind = pick(KINDS);
    const n = ++serial;
    const path = `${pick(PREFIXES)}/${kind}`;
    const body = CREATE_BODY[kind](n);
    let res: Answer;
    if (rnd() < 0.15) {
      // The same create with one Idempotency-Key at both processes at once: one record.
      const headers = { "idempotency-key": `dual-${opts.seed}-${n}` };
      const answers = await Promise.all(servers.map((s) => call(s, "POST", path, body, headers)));
      res = answers[0]!;
      if (answers.some((a) => a.text !== res.text || a.etag !== res.etag)) fail("dual create", answers.map((a) => a.text));
    } else {
      res = await call(server(), "POST", path, body);
    }
    if (!expectStatus(`create ${path}`, res, 201)) return;
    w.entities.set(res.body.id, { kind, id: res.body.id, state: "live", data: res.body, etag: res.etag ?? undefined, busy: false });
    // Read-your-writes across processes: the other one sees the record at once.
    const seen = await call(server(), "GET", `/v3/${kind}/${res.body.id}`);
    // The 201 is json.dumps in upstream's field order, the GET jsonify: the same record, its canonical bytes.
    if (seen.text !== `${asciiOnly(canonicalJson(res.body))}\n` || seen.etag !== res.etag) fail("read after create", { created: res.text, seen: seen.text });
  };

  const changeOf = (e: Entity): { body: Record<string, unknown>; expected: Record<string, any> } => {
    const arch = e.data.arch === "x86_64" ? "aarch64" : "x86_64";
    if (rnd() < 0.5) return { body: { arch }, expected: { ...e.data, arch } };
    if (e.kind === "recipes") return { body: { require_dkms: !e.data.require_dkms }, expected: { ...e.data, require_dkms: !e.data.require_dkms } };
    const key = `k${Math.floor(rnd() * 4)}`;
    const value = String(++serial);
    return { body: { metadata: { operation: "set", key, value } }, expected: { ...e.data, metadata: { ...e.data.metadata, [key]: value } } };
  };

  const patch: Op = () =>
    withEntity(patchable, async (e) => {
      const { body, expected } = changeOf(e);
      const headers: Record<string, string> = e.etag && rnd() < 0.5 ? { "if-match": e.etag } : {};
      const res = await call(server(), "PATCH", `${pick(PREFIXES)}/${e.kind}/${e.id}`, body, headers);
      if (!expectStatus(`patch ${e.kind}`, res, 200)) return;
      if (!Bun.deepEquals(res.body, expected)) fail(`patch ${e.kind} result`, { expected, got: res.body });
      Object.assign(e, { data: res.body, etag: res.etag ?? undefined });
    });

  const patchRace: Op = () =>
    withEntity((e) => patchable(e) && e.etag !== undefined, async (e) => {
      const changes = [changeOf(e), changeOf(e)];
      const answers = await Promise.all(
        two().map((s, i) => call(s, "PATCH", `/v3/${e.kind}/${e.id}`, changes[i]!.body, { "if-match": e.etag! })),
      );
      const winner = expectRace(`patch race ${e.kind}`, answers, 200, 412);
      if (winner) Object.assign(e, { data: winner.body, etag: winner.etag ?? undefined });
    });

  /** One request, or the same request at both processes at once (one wins, one 404s). */
  const transition = (name: string, from: (e: Entity) => boolean, to: Entity["state"], request: (e: Entity) => [string, string, unknown?]): Op => () =>
    withEntity(from, async (e) => {
      const [method, path, body] = request(e);
      const raced = rnd() < 0.3;
      const answers = await Promise.all((raced ? two() : [server()]).map((s) => call(s, method, path, body)));
      const ok = raced ? expectRace(`${name} race ${e.kind}`, answers, 204, 404) : expectStatus(`${name} ${e.kind}`, answers[0]!, 204);
      if (ok) Object.assign(e, { state: to, etag: undefined });
    });

  const softDelete = transition("soft delete", live, "deleted", (e) => ["DELETE", `/v3/${e.kind}/${e.id}`]);
  const undelete = transition("undelete", deleted, "live", (e) => ["PATCH", `/v3/deleted/${e.kind}/${e.id}`, { operation: "undelete" }]);
  const purge = transition("purge", deleted, "gone", (e) => ["DELETE", `/v3/deleted/${e.kind}/${e.id}`]);
  const hardDelete = transition("hard delete", live, "gone", (e) => ["DELETE", `${pick(["", "/v2"])}/${e.kind}/${e.id}`]);

  const nodeOp: Op = () => {
    const idle = [...w.nodes.values()].filter((n) => !n.busy);
    if (!idle.length) return undefined;
    const node = pick(idle);
    node.busy = true;
    const run = async () => {
      if (rnd() < 0.6) {
        const res = await call(server(), "POST", "/v3/remote-build-nodes", { xname: node.xname });
        if (expectStatus("create node", res, 201)) node.present = true;
      } else {
        const res = await call(server(), "DELETE", `/v3/remote-build-nodes/${node.xname}`);
        if (expectStatus("delete node", res, node.present ? 204 : 404)) node.present = false;
      }
    };
    return run().finally(() => (node.busy = false));
  };

  const OPS: [string, number, Op][] = [
    ["create", 30, create],
    ["patch", 16, patch],
    ["patch race", 4, patchRace],
    ["soft delete", 14, softDelete],
    ["undelete", 10, undelete],
    ["hard delete", 6, hardDelete],
    ["purge", 6, purge],
    ["node", 14, nodeOp],
  ];
  const weight = OPS.reduce((s, [, n]) => s + n, 0);
  const next = (): [string, Promise<void>] => {
    let r = rnd() * weight;
    for (const [name, n, op] of OPS) {
      if ((r -= n) > 0) continue;
      const running = op();
      if (running) return [name, running];
      break;
    }
    return ["create", create()!];
  };

  let started = 0;
  const worker = async () => {
    while (started < opts.total) {
      started++;
      const [name, running] = next();
      w.counts[name] = (w.counts[name] ?? 0) + 1;
      await running.catch((e) => fail(name, String(e)));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return w;
}
