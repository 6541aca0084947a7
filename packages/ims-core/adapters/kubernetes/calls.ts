/**
 * What a Kubernetes API request is, for whoever measures the adapter (metrics, traces): its verb
 * and resource, never the names of objects (they hold job ids and would make a label per job).
 */

export interface KubernetesCall {
  /** CREATE, GET, LIST, WATCH, UPDATE, PATCH, DELETE, DELETECOLLECTION. */
  verb: string;
  /** The resource's plural (jobs, configmaps, destinationrules…), "namespaces" for a namespace itself. */
  resource: string;
  method: string;
  url: string;
}

/** Hooks into the adapter's HTTP; both optional parts of KubernetesClusterOptions.instruments. */
export interface KubernetesInstruments {
  /** Runs one API request; `send` performs it (wrap it to time it or trace it). */
  request?(call: KubernetesCall, send: () => Promise<Response>): Promise<Response>;
  /** The job watch connects again: the server ended the stream ("closed"), its version expired (410, "expired"), or it failed ("error"). */
  watchRestart?(reason: WatchRestart): void;
}

export type WatchRestart = "closed" | "expired" | "error";

/** /api/v1/namespaces/ns/jobs/name, /apis/group/version/namespaces/ns/plural[/name][/status]. */
export function describeCall(method: string, url: string): KubernetesCall {
  const parsed = new URL(url);
  const parts = parsed.pathname.split("/").filter(Boolean);
  // Drop the prefix: api/v1 or apis/group/version.
  const rest = parts[0] === "api" ? parts.slice(2) : parts[0] === "apis" ? parts.slice(3) : parts;
  const scoped = rest[0] === "namespaces" && rest.length > 2 ? rest.slice(2) : rest;
  const resource = scoped[0] ?? "unknown";
  const named = scoped.length > 1;
  const verb = verbOf(method.toUpperCase(), named, parsed.searchParams.get("watch") === "true");
  return { verb, resource, method: method.toUpperCase(), url };
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case "GET":
      return watch ? "WATCH" : named ? "GET" : "LIST";
    case "POST":
      return "CREATE";
    case "PUT":
      return "UPDATE";
    case "DELETE":
      return named ? "DELETE" : "DELETECOLLECTION";
    default:
      return method;
  }
}
