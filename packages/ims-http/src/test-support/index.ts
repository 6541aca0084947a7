/** Test helpers other packages' tests use (the process package's): not part of the public API. */
export { send, type Reply, type SendBody, type RawBody } from "./send.ts";
export { captureLogger } from "./logger.ts";
export { rig, type Rig } from "./app.ts";
export { NS, NO_OBJECTS, kubeObjects, objectsOf, placeArtifact, placeImage, seedSigningKey, jobsRig, type JobsRig } from "./jobs.ts";
export { jwksServer, signingKey, sign, withRoles, ISSUER, AUDIENCE, type JwksServer, type SigningKey } from "./jwks.ts";
export { sseReader, type SseEvent } from "./sse.ts";
