/**
 * A copy of an OpenAPI document with every internal `$ref` replaced by what it points to, as
 * craycli's conversion step (swagger2openapi --resolve --resolveInternal) leaves it: craycli
 * itself never follows a `$ref`.
 */
type Json = Record<string, unknown>;

const pointer = (doc: unknown, ref: string): unknown =>
  ref
    .slice(2)
    .split("/")
    .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => {
      if (!node || typeof node !== "object" || !(key in node)) throw new Error(`unresolvable $ref ${ref}`);
      return (node as Json)[key];
    }, doc);

export function resolveRefs(doc: unknown): unknown {
  const walk = (node: unknown, seen: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, seen));
    if (!node || typeof node !== "object") return node;
    const ref = (node as Json).$ref;
    if (typeof ref === "string" && ref.startsWith("#/")) {
      if (seen.includes(ref)) throw new Error(`circular $ref ${ref}`);
      return walk(pointer(doc, ref), [...seen, ref]);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, seen)]));
  };
  return walk(doc, []);
}
