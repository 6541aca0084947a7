/**
 * Tells "no such URL" (404) from "no such method on this URL" (405) for requests the router did
 * not match, and lists the allowed methods for 405 and OPTIONS answers (Allow header, as Flask).
 */
export interface PathMethod {
  method: string;
  path: string;
}

export function methodMatcher(routes: readonly PathMethod[]): (pathname: string) => string[] {
  const byTemplate = new Map<string, { re: RegExp; methods: Set<string> }>();
  for (const r of routes) {
    let entry = byTemplate.get(r.path);
    if (!entry) {
      const pattern = r.path
        .split(/\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))
        .join("[^/]+");
      entry = { re: new RegExp(`^${pattern}$`), methods: new Set() };
      byTemplate.set(r.path, entry);
    }
    entry.methods.add(r.method);
  }
  return (pathname) => {
    const allowed = new Set<string>();
    for (const { re, methods } of byTemplate.values()) {
      if (re.test(pathname)) for (const m of methods) allowed.add(m);
    }
    if (allowed.size === 0) return [];
    if (allowed.has("GET")) allowed.add("HEAD");
    allowed.add("OPTIONS");
    return [...allowed].sort();
  };
}
