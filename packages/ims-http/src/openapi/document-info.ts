/** The document's servers and tags: where the API is reached, and what each tag groups. */

/**
 * Upstream's two servers first: craycli sends `cray ims` to the api-gw URL's path (/apis/ims).
 * The last one is ims run on its own (`bun run start`, PORT 9100 by default).
 */
export const SERVERS = [
  { url: "https://api-gw-service-nmn.local/apis/ims", description: "The production IMS API server, through the CSM API gateway. Accessed from outside the mesh." },
  { url: "http://cray-ims.services.svc.cluster.local", description: "Accessed from inside the mesh." },
  { url: "http://localhost:9100", description: "ims started on its own (bun run start; PORT defaults to 9100)." },
];

/** Every tag an operation carries, with what it means; the resource tags are upstream's names. */
export const TAGS = [
  { name: "images", description: "Interact with image records" },
  { name: "recipes", description: "Interact with recipe records" },
  { name: "public keys", description: "Interact with public key records" },
  { name: "jobs", description: "Interact with job records" },
  { name: "remote build node", description: "Interact with remote build node records" },
  { name: "remote build node status", description: "Probe remote build nodes (SSH and podman)" },
  { name: "operations", description: "Read the artifact operation journal: S3 moves still to do or failed (not in upstream IMS)" },
  { name: "events", description: "Watch every committed change as Server-Sent Events instead of polling (not in upstream IMS)" },
  { name: "healthz", description: "Interact with kubernetes healthz checks" },
  { name: "version", description: "Get version" },
  { name: "v2", description: "IMS v2 API (also served without a version prefix): deletes are permanent" },
  { name: "v3", description: "IMS v3 API: deletes are soft (see /v3/deleted)" },
  { name: "cli_ignore", description: "craycli builds no `cray ims` command for these operations" },
  { name: "cli_hidden", description: "craycli builds a hidden `cray ims` command for these operations" },
];
