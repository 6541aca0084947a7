/**
 * Injection fuzz: hostile strings in every user-controlled parameter. Each case either
 * fails as bad_input (lone surrogates) or renders exactly the five expected objects with
 * the same shape as a harmless render, and the string reappears unchanged where it belongs
 * (as the container sees it, for env values and command arguments).
 */
import { expect, test } from "bun:test";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Job } from "kubernetes-models/batch/v1/Job";
import { TemplateError, renderJobObjects, type JobKind, type JobTemplateParams } from "./index.ts";
import { KINDS, allContainers, baseParams, kubeletExpand, type Container } from "./test-support.ts";

/** Text parameters a user (or a user's artifact) controls. */
const USER_FIELDS = [
  "public_key",
  "image_root_archive_name",
  "kernel_filename",
  "initrd_filename",
  "kernel_parameters_filename",
  "download_url",
  "download_md5sum",
  "remote_build_node",
] as const;
type UserField = (typeof USER_FIELDS)[number];

/** Env names that carry a user field. */
const ENV_OF: Record<string, UserField> = {
  IMAGE_ROOT_ARCHIVE_NAME: "image_root_archive_name",
  KERNEL_FILENAME: "kernel_filename",
  INITRD_FILENAME: "initrd_filename",
  KERNEL_PARAMETERS_FILENAME: "kernel_parameters_filename",
  DOWNLOAD_MD5SUM: "download_md5sum",
  REMOTE_BUILD_NODE: "remote_build_node",
};

const ATOMS = [
  "\n", "\r\n", "\r", "---", "\n---\n", "...", "\n...\n", ": ", ":", "#", " #", "{{", "}}", "{{{", "}}}", "{{id}}",
  "{{> p}}", "{{q id}}", "'", '"', "''", "\\", "\\n", "\\u0000", "\0", "\u2028", "\u2029", "\u0085", "\t", "&a", "*a",
  "&a [1]\n*a", "!!python/object:os.system", "!!python/object/apply:os.system ['id']", "!<tag:yaml.org,2002:str>",
  "%YAML 1.1", "%TAG ! tag:x,2000:", "- ", "? ", "|", ">", "|-\n", "@", "`", "$", "$$", "$(IMS_JOB_ID)",
  "$(HOME)", "${id}", "$id", "%s", "😀", "👩‍👩‍👧", "\ufeff", "\u007f", "\u00a0", "é", "\u200b", "\ufffe", "\uffff",
  "null", "~", "true", "no", "0x1F", "1e3", ".inf", " ", "  ", "[", "]", "{", "}", ",", "<script>", "&amp;",
  "\x1b[31m", "\b", "\f", "\v", "apiVersion: v1\nkind: Secret", "\n  injected: true", "\"\nkind: Secret\n",
];
const SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d"];

/** mulberry32: a small seeded PRNG so every run tries the same cases. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostileStrings(count: number): string[] {
  const rand = prng(0x1b5);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out = ["", ...ATOMS, ...SURROGATES.map((s) => `key ${s} tail`), "\ud83d\ude00"];
  const big = (unit: string) => unit.repeat(Math.ceil(65536 / unit.length)).slice(0, 65536);
  out.push(big("a"), big("\n---\n"), big("'\"\\"), big("{{}}"), big("😀"), big("$("), big("\u2028: #"));
  while (out.length < count) {
    const r = rand();
    let s = "";
    const parts = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < parts; i++) {
      const c = rand();
      if (c < 0.6) s += pick(ATOMS);
      else if (c < 0.8) s += String.fromCharCode(0x20 + Math.floor(rand() * 95));
      else if (c < 0.95) s += String.fromCodePoint(Math.floor(rand() * 0x30000)); // includes lone surrogates
      else s += pick(SURROGATES);
    }
    if (r < 0.03) s = big(s || "x"); // a few more 64 KiB strings
    out.push(s);
  }
  return out;
}

function paramsWith(kind: JobKind, s: string | ((f: string) => string)): JobTemplateParams {
  const v = typeof s === "string" ? () => s : s;
  const fields = Object.fromEntries(USER_FIELDS.map((f) => [f, v(f)]));
  const dict = [
    { key: v("dict_key"), value: v("dict_value") },
    { key: "fixed-key", value: v("dict_value2") },
  ];
  return baseParams(kind, { ...fields, ...(kind === "customize" ? {} : { template_dictionary: dict }) });
}

/** Keys, array lengths and leaf types: what an injection would have to change. */
function sameShape(a: unknown, b: unknown, path: string, skip: (leaf: unknown) => boolean): void {
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || a.length !== b.length) throw new Error(`shape differs at ${path}`);
    b.forEach((x, i) => sameShape(a[i], x, `${path}[${i}]`, skip));
  } else if (typeof b === "object" && b !== null) {
    if (typeof a !== "object" || a === null || Array.isArray(a)) throw new Error(`shape differs at ${path}`);
    const ka = Object.keys(a).sort().join("\0");
    const kb = Object.keys(b).sort().join("\0");
    if (ka !== kb) throw new Error(`keys differ at ${path}`);
    for (const k of Object.keys(b)) sameShape((a as any)[k], (b as any)[k], `${path}.${k}`, skip);
  } else if (typeof a !== typeof b || (!skip(b) && a !== b)) {
    throw new Error(`leaf differs at ${path}`);
  }
}

const TOKEN = "TOKEN";
const baselines = new Map(KINDS.map((k) => [k, renderJobObjects(k, paramsWith(k, (f) => `${TOKEN}_${f}`))]));

function checkPlaces(kind: JobKind, s: string, objs: ReturnType<typeof renderJobObjects>): number {
  let places = 0;
  const data = objs.configmap.data as Record<string, string>;
  expect(data.public_key).toBe(s);
  places++;
  if (kind !== "customize") {
    const expected = new Map([[s, s], ["fixed-key", s]]); // same key twice: last wins, like Python
    const got = Object.entries(JSON.parse(data.template_dictionary!) as Record<string, string>);
    const sortKey = (e: [string, string]) => e[0];
    expect(got.sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : 1))).toEqual(
      [...expected].sort((x, y) => (x[0] < y[0] ? -1 : 1)),
    );
    places++;
  }
  const containers: Container[] = allContainers(objs.job);
  const seen = new Set<UserField>(["public_key"]);
  for (const c of containers) {
    for (const e of c.env ?? []) {
      const field = ENV_OF[e.name];
      if (!field) continue;
      expect(kubeletExpand(e.value!)).toBe(s);
      seen.add(field);
      places++;
    }
  }
  const command = containers[0]!.command!;
  expect(kubeletExpand(command.at(-1)!)).toBe(s);
  seen.add("download_url");
  places++;
  // Every user field must have been found somewhere (packer has no remote node).
  const expectedFields = USER_FIELDS.filter((f) => !(kind === "create-packer" && f === "remote_build_node"));
  expect([...seen].sort()).toEqual([...expectedFields].sort());
  return places;
}

test("fuzz: hostile strings in every user-controlled field", () => {
  const strings = hostileStrings(1200);
  const started = performance.now();
  let rendered = 0;
  let refused = 0;
  let places = 0;
  let validated = 0;
  let bigCases = 0;
  strings.forEach((s, i) => {
    const kind = KINDS[i % KINDS.length]!;
    if (s.length >= 65536) bigCases++;
    if (!s.isWellFormed()) {
      // Refused up front; and in each field on its own, naming that field.
      for (const f of USER_FIELDS) {
        const only = paramsWith(kind, (g) => (g === f ? s : "ok"));
        let err: unknown;
        try {
          renderJobObjects(kind, only);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(TemplateError);
        expect((err as TemplateError).kind).toBe("bad_input");
        expect((err as TemplateError).field).toBe(f);
      }
      refused++;
      return;
    }
    const objs = renderJobObjects(kind, paramsWith(kind, s));
    expect(Object.keys(objs)).toEqual(["configmap", "service", "job", "pvc", "destinationRule"]);
    const base = baselines.get(kind)!;
    for (const key of Object.keys(base) as (keyof typeof base)[]) {
      sameShape(objs[key], base[key], key, (leaf) => typeof leaf === "string" && leaf.includes(TOKEN));
    }
    places += checkPlaces(kind, s, objs);
    if (i % 20 === 0) {
      new ConfigMap(objs.configmap as any).validate();
      new Job(objs.job as any).validate();
      validated++;
    }
    rendered++;
  });
  const ms = performance.now() - started;
  console.log(
    `fuzz: ${strings.length} strings (${bigCases} of 64 KiB) x ${USER_FIELDS.length + 2} fields: ` +
      `${rendered} rendered, ${refused} refused as bad_input, ${places} placements checked, ` +
      `${validated} schema-validated, ${ms.toFixed(0)} ms`,
  );
  expect(strings.length).toBeGreaterThanOrEqual(1000);
  expect(refused).toBeGreaterThan(0);
  expect(rendered + refused).toBe(strings.length);
});
