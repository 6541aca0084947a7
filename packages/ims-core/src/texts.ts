/**
 * Upstream's sentences (Cray-HPE/ims v3.33.0), word for word: `cray` prints "<title>: <detail>",
 * sat prints the detail and scripts grep them, so they are part of the API. `link` arguments
 * are shown as Python dict reprs, as upstream's f-strings show them (python-repr.ts).
 */
import { pyRepr } from "./python-repr.ts";

const DETERMINE = "Determine the specific information that is missing or invalid and then re-run the request with valid information.";
const PLEASE = `Please d${DETERMINE.slice(1)}`;
const REVIEW = "Review the errors, take any corrective action and then re-run the request with valid information.";
const MALFORMED = "The image's manifest.json is malformed.";

export const MISSING_INPUT = `No input provided. ${DETERMINE}`;
export const VALIDATION_FAILED =
  "Input data was understood, but failed validation. Re-run request with valid input values for the fields indicated in the response.";
export const NOT_FOUND = "Requested resource does not exist. Re-run request with valid ID.";
export const PATCH_CONFLICT = "Requested resource exists, but cannot be patched due to a patch conflict. Re-run request with valid input values.";

// ---- artifacts (helper.py)
export const artifactNotValidated = (link: unknown) => `The s3 artifact ${pyRepr(link)} cannot be validated. ${PLEASE}`;
export const artifactTypeNotSupported = (link: unknown) =>
  `The s3 artifact ${pyRepr(link)} cannot be validated. The artifact link type is not supported. ${PLEASE}`;
export const manifestTooLarge = (link: unknown) =>
  `Image manifest file is larger than the expected maximum size for the s3 artifact ${pyRepr(link)}. ${PLEASE}`;
export const manifestUnreadable = (link: unknown) => `Unable to read manifest file for the s3 artifact ${pyRepr(link)}. ${PLEASE}`;
export const manifestNotJson = (link: unknown) => `Manifest file is not valid Json for the s3 artifact ${pyRepr(link)}. ${PLEASE}`;
export const downloadUrlFailed = (link: unknown) => `Unable to generate a download url for the s3 artifact ${pyRepr(link)}. ${PLEASE}`;
export const linkNotUnique = (path: string, kind: "recipe" | "image", id: string) =>
  `The link path ${path} matches the link path for the IMS ${kind} record ${id}. The link value must be unique and cannot be duplicated. ${DETERMINE}`;

// ---- image manifests being linked (validate_image_manifest)
export const MANIFEST = {
  noVersion: "The image's manifest.json does not contain a version field.",
  badVersion: "The image's manifest.json has a version that is not supported. Supported image manifest versions are: 1.0",
  noArtifacts: `${MALFORMED} It does not contain an artifacts map.`,
  artifactsNotList: `${MALFORMED} The artifacts property is not a json list.`,
  artifactNotDict: `${MALFORMED} A listed artifact is not a json dictionary.`,
  noLink: `${MALFORMED} An artifact does not have a link value`,
  noLinkType: `${MALFORMED} An artifact does not have a link type field`,
  linkType: (type: unknown) => `${MALFORMED} An artifact link type '${typeof type === "string" ? type : pyRepr(type)}' not supported`,
  noLinkPath: `${MALFORMED} An artifact does not have a link path field`,
  noType: `${MALFORMED} An artifact does not have a type field`,
  noRootfs: (link: unknown) =>
    `Error reading the manifest.json for IMS ${pyRepr(link)}. The manifest does not include any rootfs artifacts. ${DETERMINE}`,
  manyRootfs: (link: unknown) => `Error reading the manifest.json for ${pyRepr(link)}. The manifest includes multiple rootfs artifacts. ${DETERMINE}`,
  /** v3 undelete of an image whose deleted manifest has no artifacts. */
  noArtifactsSection: `${MALFORMED} The manifest does not contain an artifacts section.`,
  /** Permanent delete of a deleted image whose manifest has no artifacts. */
  noManifestSection: `${MALFORMED} The manifest does not contain a manifest section.`,
};

// ---- jobs (v2 and v3 resources/jobs.py)
export const JOB = {
  sshOnCreate: `User defined ssh containers during image create are not currently supported. ${DETERMINE}`,
  oneSshContainer:
    "Only one SSH container is currently supported. Please remove additional containers, determine the specific information that is missing or invalid and then re-run the request with valid information.",
  noArtifact: (kind: "recipe" | "image", id: string) => `Invalid artifact_id value in job request. No IMS ${kind} record found matching id=${id}. ${DETERMINE}`,
  noArtifactLink: (kind: "recipe" | "image", id: string) => `The IMS ${kind} does not have an artifact_link for ${kind}_id=${id}. ${PLEASE}`,
  corruptManifest: (id: string) =>
    `The manifest.json file is corrupt or invalid for IMS image_id=${id}. Could not determine the manifest version or manifest version is unsupported. ${DETERMINE}`,
  noRootfs: (id: string) => `Error reading the manifest.json for IMS image_id=${id}. The manifest does not include any rootfs artifacts. ${DETERMINE}`,
  manyRootfs: (id: string) => `Error reading the manifest.json for IMS image_id=${id}. The manifest includes multiple rootfs artifacts. ${DETERMINE}`,
  rootfsNoLink: (id: string) => `The rootfs referenced in the manifest.json for ims_image_id=${id} does not have a artifact link. ${PLEASE}`,
  noPublicKey: (id: string) => `Invalid public_key_id value in job request. No IMS public-key record found matching id=${id}`,
  /** DELETE /jobs filters: upstream passes these as the problem's title (no detail). */
  badStatus: (s: string) => `Unsupported status ${s} in query parameters. ${DETERMINE}`,
  badJobType: (t: string) => `Unsupported job_type ${t} in query parameters. ${DETERMINE}`,
  badAge: (a: string) => `Unsupported age ${a} in query parameters. ${DETERMINE}`,
  /** Ours: upstream reads an age without a unit as 0 and matches every job. */
  ageWithoutUnit: (a: string) =>
    `Unsupported age ${a} in query parameters. An age is a number followed by a unit, w (weeks), d (days), h (hours) or m (minutes), e.g. 90m, 6h, 1d or 2w3d. ${DETERMINE}`,
  createFailed: (resource: string) => `An error was encountered creating the kubernetes ${resource} resources for your IMS job. ${REVIEW}`,
  deleteFailed: (id: string) => `Errors were encountered deleting the kubernetes resources for IMS job_id=${id}. ${REVIEW}`,
  deleteManyFailed: `Errors were encountered deleting the kubernetes resources for one or more IMS jobs. ${REVIEW}`,
  releaseFailed: (id: string) => `Errors were encountered cleaning up kubernetes service IP for IMS job_id=${id}. ${REVIEW}`,
};
