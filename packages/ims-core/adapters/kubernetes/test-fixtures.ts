/** IMS-shaped objects (spec jobs.md §5) for the adapter tests. */
import type { KubeObject } from "../../src/cluster.ts";

export const NS = "ims";

export function imsObjects(id: string): KubeObject[] {
  const app = `ims-${id}-create`;
  const service = `cray-ims-${id}-service`;
  return [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `cray-ims-${id}-configmap`, namespace: NS },
      data: { public_key: "ssh-ed25519 AAAA test", template_dictionary: '{"k":"v"}' },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: service,
        namespace: NS,
        annotations: {
          "external-dns.alpha.kubernetes.io/hostname": `${id}.ims.cmn.example.com`,
          "metallb.universe.tf/address-pool": "customer-access",
        },
      },
      spec: { type: "LoadBalancer", selector: { app }, ports: [{ name: "ssh", port: 22, targetPort: 22, protocol: "TCP" }] },
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: `cray-ims-${id}-create`, namespace: NS, labels: { app, "app.kubernetes.io/name": "ims-job" } },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: {
            labels: { app, "app.kubernetes.io/name": "ims-job" },
            annotations: { "io.katacontainers.config.hypervisor.virtio_fs_extra_args": '["-o","xattr"]' },
          },
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "ims-service-job-mount",
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      topologyKey: "kubernetes.io/hostname",
                      labelSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["ims-job"] }] },
                    },
                  },
                ],
              },
            },
            initContainers: [
              {
                name: "fetch-recipe",
                image: "cray-ims-utils:1",
                env: [{ name: "IMS_JOB_ID", value: id }],
                volumeMounts: [{ name: "image-vol", mountPath: "/mnt/image" }],
              },
            ],
            containers: [
              {
                name: "buildenv-sidecar",
                image: "cray-ims-utils:1",
                envFrom: [{ configMapRef: { name: `cray-ims-${id}-configmap` } }],
                resources: { requests: { memory: "8Gi" }, limits: { memory: "12Gi", cpu: "1" } },
                securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] } },
              },
            ],
            volumes: [
              { name: "image-vol", persistentVolumeClaim: { claimName: `cray-ims-${id}-job-claim` } },
              { name: "ca", configMap: { name: "cray-configmap-ca-public-key" } },
              { name: "ims", emptyDir: {} },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: `cray-ims-${id}-job-claim`, namespace: NS },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "80Gi" } } },
    },
    {
      apiVersion: "networking.istio.io/v1beta1",
      kind: "DestinationRule",
      metadata: { name: service, namespace: NS },
      spec: { host: `${service}.${NS}.svc.cluster.local`, trafficPolicy: { tls: { mode: "DISABLE" } } },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: `cray-ims-${id}-signing-keys`, namespace: NS },
      type: "Opaque",
      data: { "private.key": Buffer.from("key").toString("base64") },
    },
  ];
}

export const PLURAL: Record<string, string> = {
  ConfigMap: "configmaps",
  Service: "services",
  Job: "jobs",
  PersistentVolumeClaim: "persistentvolumeclaims",
  DestinationRule: "destinationrules",
  Secret: "secrets",
};

/** What the server stored minus the fields it adds, for comparison with what was sent. */
export function withoutServerFields(o: Record<string, any>): Record<string, any> {
  const { uid, resourceVersion, creationTimestamp, ...metadata } = o.metadata;
  const copy: Record<string, any> = { ...o, metadata };
  if (o.kind === "Job" && Object.keys(o.status ?? {}).length === 0) delete copy.status;
  return copy;
}

/** An instant sleep that remembers what it was asked for. */
export function recordingSleep() {
  const calls: number[] = [];
  return { calls, sleep: async (ms: number) => void calls.push(ms) };
}
