/**
 * The Cluster port: what job handling needs from Kubernetes. The adapter lives in
 * ../adapters/kubernetes; with no cluster configured the service uses none and job creation
 * answers 503.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface KubeRef {
  kind: string;
  name: string;
}

/** A change to an IMS Kubernetes Job seen by the watch. */
export interface JobEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  /** Kubernetes Job name (cray-ims-<id>-create|customize). */
  name: string;
  failed: boolean;
  succeeded: boolean;
}

export interface Cluster {
  /** Creates the objects in order in `namespace`; retries API timeouts; throws ImsError. */
  create(namespace: string, objects: KubeObject[]): Promise<void>;
  /** Deletes each object; "not found" counts as success. Returns one message per failure. */
  remove(namespace: string, refs: KubeRef[]): Promise<string[]>;
  /** Copies a Secret between namespaces under a new name; false if the source is missing. */
  copySecret(from: { namespace: string; name: string }, to: { namespace: string; name: string }): Promise<boolean>;
  /** Watches Jobs with the IMS label until `signal` aborts; resumes after 410 Gone. */
  watchJobs(namespace: string, onEvent: (event: JobEvent) => void, signal: AbortSignal): Promise<void>;
}
