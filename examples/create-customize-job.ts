/**
 * Creates a customize job through the core, as a CSM tool embedding IMS would:
 *   bun examples/create-customize-job.ts IMAGE_ID PUBLIC_KEY_ID [ARCHIVE_NAME]
 * Records: DATABASE_URL; artifacts: IMS_ARTIFACTS_DIR (local directory, default ./var/artifacts).
 * Kubernetes: with KUBECONFIG set, the Kubernetes adapter and the job templates; without it no
 * cluster at all, so the core refuses with its 503 problem, which is printed (exit 1).
 */
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { createIms, isImsError, type Cluster, type ErrorKind, type JobRenderer } from "@ims/core";
import { openKubernetesCluster } from "@ims/core/kubernetes";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { createJobRenderer } from "@ims/templates";
import { argsOf, run } from "./args.ts";
import { databaseFrom, openRecordStore } from "./store.ts";

const [imageId, publicKeyId, archiveName = "customized-image"] = argsOf(
  "usage: bun examples/create-customize-job.ts IMAGE_ID PUBLIC_KEY_ID [ARCHIVE_NAME]\n" +
    "Creates a customize job in the existing store named by DATABASE_URL (default sqlite:./var/ims.sqlite).",
  2,
  3,
);

// The HTTP statuses the service would answer, for printing the core's error as a problem.
const STATUS: Record<ErrorKind, [number, string]> = {
  missing_input: [400, "Bad Request"], bad_request: [400, "Bad Request"], not_found: [404, "Not Found"],
  conflict: [409, "Conflict"], precondition_failed: [412, "Precondition Failed"], payload_too_large: [413, "Request Entity Too Large"],
  validation: [422, "Unprocessable Entity"], unavailable: [503, "Service Unavailable"], internal: [500, "Internal Server Error"],
};

await run(async () => {
  let cluster: Cluster | undefined;
  let renderer: JobRenderer | undefined;
  const kubeconfig = process.env.KUBECONFIG?.split(":")[0]; // like kubectl, a list; the first file names the cluster
  if (kubeconfig) {
    cluster = openKubernetesCluster({ kubeconfigYaml: await readFile(kubeconfig, "utf8"), kubeconfigDir: dirname(kubeconfig) });
    renderer = createJobRenderer();
  }

  const store = await openRecordStore(databaseFrom(undefined)); // an existing store: a typo is an error
  const artifacts = await openLocalArtifacts({ dir: process.env.IMS_ARTIFACTS_DIR ?? "./var/artifacts", createParents: false }).catch(async (e) => {
    await store.close();
    throw e;
  });
  const ims = createIms({ store, artifacts, cluster, renderer });
  try {
    const job = await ims.jobs.create({ job_type: "customize", artifact_id: imageId, public_key_id: publicKeyId, image_root_archive_name: archiveName });
    console.log(JSON.stringify(job.data, null, 2));
  } catch (e) {
    if (!isImsError(e)) throw e;
    const [status, title] = STATUS[e.kind];
    console.log(JSON.stringify({ status, title, detail: e.detail, ...(e.errors ? { errors: e.errors } : {}) }, null, 2));
    process.exitCode = 1;
  } finally {
    await ims.worker.stop();
    await store.close();
  }
});
