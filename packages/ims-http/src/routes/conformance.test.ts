/**
 * Upstream IMS v3.33.0's answers to error-producing requests, route family by route family:
 * each request gets upstream's status and exactly its problem bytes (json.dumps of status,
 * title, detail, errors, in that order) and writes nothing. The texts are written out here as
 * upstream's source has them, not taken from the core, so a changed word fails this test.
 * Where upstream answers with Flask's own body (415, 405, malformed JSON) only the status and
 * headers are upstream's (README: differences).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { pyDumps } from "@ims/core";
import { rig, type Rig, type SendBody } from "../test-support/app.ts";

let r: Rig;
let s: Awaited<ReturnType<typeof arrange>>;

beforeAll(async () => {
  r = await rig();
  s = await arrange();
});
afterAll(() => r.close());

const UNKNOWN = "0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a";
const ROOTFS = "application/vnd.cray.image.rootfs.squashfs";
const DETERMINE = "Determine the specific information that is missing or invalid and then re-run the request with valid information.";
const PLEASE = "Please determine the specific information that is missing or invalid and then re-run the request with valid information.";
const MALFORMED = "The image's manifest.json is malformed.";

const problem = (status: number, title: string, detail?: string, errors?: unknown) => ({
  status, title, ...(detail === undefined ? {} : { detail }), ...(errors === undefined ? {} : { errors }),
});
const NOT_FOUND = problem(404, "Not Found", "Requested resource does not exist. Re-run request with valid ID.");
const MISSING = problem(400, "Bad Request", `No input provided. ${DETERMINE}`);
const CONFLICT = problem(409, "Conflict", "Requested resource exists, but cannot be patched due to a patch conflict. Re-run request with valid input values.");
const invalid = (errors: unknown) =>
  problem(422, "Unprocessable Entity", "Input data was understood, but failed validation. Re-run request with valid input values for the fields indicated in the response.", errors);
const bad = (detail: string) => problem(400, "Bad Request", detail);
const unprocessable = (detail: string) => problem(422, "Unprocessable Entity", detail);
const notValidated = (repr: string) => unprocessable(`The s3 artifact ${repr} cannot be validated. ${PLEASE}`);
const corrupt = (id: string) =>
  bad(`The manifest.json file is corrupt or invalid for IMS image_id=${id}. Could not determine the manifest version or manifest version is unsupported. ${DETERMINE}`);
const SIZE = "build_env_size must be greater than or equal to 1";

const put = (path: string, body: string) => {
  const [bucket, ...key] = path.replace("s3://", "").split("/");
  return r.artifacts.write({ bucket: bucket!, key: key.join("/") }, body, "application/json");
};
const remove = (path: string) => {
  const [bucket, ...key] = path.replace("s3://", "").split("/");
  return r.artifacts.remove({ bucket: bucket!, key: key.join("/") });
};
const manifestOf = (artifacts: unknown[]) => JSON.stringify({ version: "1.0", artifacts });
const rootfsAt = (path: string) => ({ type: ROOTFS, md5: "", link: { path, etag: "", type: "s3" } });

async function created(path: string, body: unknown): Promise<string> {
  const res = await r.call("POST", path, body);
  expect({ path, status: res.status }).toEqual({ path, status: 201 });
  return res.body.id;
}

/** An image linked to a good manifest, whose manifest is then replaced by `manifest` (as a user could). */
async function imageWithManifest(name: string, manifest: string): Promise<string> {
  await put(`s3://boot-images/${name}/rootfs`, "rootfs");
  await put(`s3://boot-images/${name}/manifest.json`, manifestOf([rootfsAt(`s3://boot-images/${name}/rootfs`)]));
  const id = await created("/v3/images", { name, link: { path: `s3://boot-images/${name}/manifest.json`, type: "s3" } });
  await put(`s3://boot-images/${name}/manifest.json`, manifest);
  return id;
}

/** The records the error requests point at. */
async function arrange() {
  await put("s3://ims/recipes/r.tgz", "archive");
  await put("s3://boot-images/m/rootfs", "rootfs"); // for the manifests of the image cases
  const publicKey = await created("/v3/public-keys", { name: "k", public_key: "ssh-ed25519 AAAA" });
  const recipe = await created("/v3/recipes", { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/r.tgz", type: "s3" } });
  const bareRecipe = await created("/v3/recipes", { name: "bare", recipe_type: "kiwi-ng", linux_distribution: "sles15" });
  await put("s3://ims/recipes/lost.tgz", "archive");
  const lostRecipe = await created("/v3/recipes", { name: "lost", recipe_type: "packer", linux_distribution: "sles15", link: { path: "s3://ims/recipes/lost.tgz", type: "s3" } });
  await remove("s3://ims/recipes/lost.tgz");

  const image = await imageWithManifest("good", manifestOf([rootfsAt("s3://boot-images/good/rootfs")]));
  const bareImage = await created("/v3/images", { name: "bare" });
  const customize = {
    v2: await imageWithManifest("v2", JSON.stringify({ version: "2.0", artifacts: [rootfsAt("s3://boot-images/v2/rootfs")] })),
    v42: await imageWithManifest("v42", JSON.stringify({ version: "42.0", artifacts: [rootfsAt("s3://boot-images/v42/rootfs")] })),
    noVersion: await imageWithManifest("nov", JSON.stringify({ artifacts: [rootfsAt("s3://boot-images/nov/rootfs")] })),
    untyped: await imageWithManifest("untyped", manifestOf([rootfsAt("s3://boot-images/untyped/rootfs"), { link: { path: "s3://boot-images/untyped/k", type: "s3" } }])),
    noRootfs: await imageWithManifest("norootfs", manifestOf([{ type: "kernel", link: { path: "s3://boot-images/norootfs/k", type: "s3" } }])),
    twoRootfs: await imageWithManifest("two", manifestOf([rootfsAt("s3://boot-images/two/rootfs"), rootfsAt("s3://boot-images/two/rootfs")])),
    unlinkedRootfs: await imageWithManifest("unlinked", manifestOf([{ type: ROOTFS, link: null }])),
    untypedLink: await imageWithManifest("untypedlink", manifestOf([{ type: ROOTFS, link: { path: "s3://boot-images/untypedlink/rootfs" } }])),
    lostRootfs: await imageWithManifest("lostrootfs", manifestOf([{ type: ROOTFS, link: { type: "s3", path: "s3://boot-images/lostrootfs/gone" } }])),
  };

  // Deleted records whose objects are gone or broken.
  await put("s3://ims/recipes/gone.tgz", "archive");
  const goneRecipe = await created("/v3/recipes", { name: "gone", recipe_type: "kiwi-ng", linux_distribution: "sles12", link: { path: "s3://ims/recipes/gone.tgz", type: "s3" } });
  await r.call("DELETE", `/v3/recipes/${goneRecipe}`);
  const goneImage = await imageWithManifest("goneimg", manifestOf([rootfsAt("s3://boot-images/goneimg/rootfs")]));
  await r.call("DELETE", `/v3/images/${goneImage}`);
  const hollowImage = await imageWithManifest("hollow", manifestOf([rootfsAt("s3://boot-images/hollow/rootfs")]));
  await r.call("DELETE", `/v3/images/${hollowImage}`);
  await r.ims.worker.drain();
  const deletedRecipeLink = (await r.call("GET", `/v3/deleted/recipes/${goneRecipe}`)).body.link;
  await remove(deletedRecipeLink.path);
  await remove(`s3://boot-images/deleted/${goneImage}/deleted_manifest.json`);
  await put(`s3://boot-images/deleted/${hollowImage}/deleted_manifest.json`, JSON.stringify({ version: "1.0" }));

  await r.call("POST", "/v3/remote-build-nodes", { xname: "x3000c0s1b0n0" });
  const job = "c0ffee00-0000-4000-8000-000000000001";
  await r.store.transaction((tx) => tx.insert("jobs", job, { id: job, status: "creating", job_type: "create" } as never));
  return { publicKey, recipe, bareRecipe, lostRecipe, image, bareImage, customize, goneRecipe, deletedRecipeLink, goneImage, hollowImage, job };
}

type S = typeof s;
interface Case {
  name: string;
  req: (s: S) => [method: string, path: string, body?: SendBody, headers?: Record<string, string>];
  status: number;
  /** The problem upstream answers, or only the status where its body is Flask's own. */
  body?: (s: S) => object;
}

const job = (s: S, extra: Record<string, unknown> = {}) => ({ job_type: "create", artifact_id: s.recipe, public_key_id: s.publicKey, image_root_archive_name: "img", ...extra });
const customize = (id: string, extra: Record<string, unknown> = {}) => ({ job_type: "customize", artifact_id: id, public_key_id: UNKNOWN, image_root_archive_name: "img", ...extra });
const PREFIXES = ["", "/v2", "/v3"];

const FAMILIES: Record<string, Case[]> = {
  "public keys": [
    ...PREFIXES.flatMap((p): Case[] => [
      { name: `${p} POST {}`, req: () => ["POST", `${p}/public-keys`, {}], status: 400, body: () => MISSING },
      { name: `${p} GET unknown`, req: () => ["GET", `${p}/public-keys/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
      { name: `${p} DELETE unknown`, req: () => ["DELETE", `${p}/public-keys/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
    ]),
    {
      name: "blank fields, then unknown ones",
      req: () => ["POST", "/v3/public-keys", { id: "x", public_key: "", name: "" }],
      status: 422,
      body: () => invalid({ name: ["name field must not be blank"], public_key: ["public_key field must not be blank"], id: ["Unknown field."] }),
    },
    { name: "wrong type, missing", req: () => ["POST", "/v3/public-keys", { name: 1 }], status: 422, body: () => invalid({ name: ["Not a valid string."], public_key: ["Missing data for required field."] }) },
    { name: "a body that is not an object", req: () => ["POST", "/v3/public-keys", ["k"]], status: 422, body: () => invalid({ _schema: ["Invalid input type."] }) },
    { name: "deleted: GET unknown", req: () => ["GET", `/v3/deleted/public-keys/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
    { name: "deleted: PATCH unknown (before the body)", req: () => ["PATCH", `/v3/deleted/public-keys/${UNKNOWN}`, {}], status: 404, body: () => NOT_FOUND },
    { name: "deleted: PATCH collection {}", req: () => ["PATCH", "/v3/deleted/public-keys", {}], status: 400, body: () => MISSING },
    { name: "deleted: undelete is the only operation", req: () => ["PATCH", "/v3/deleted/public-keys", { operation: "restore" }], status: 422, body: () => invalid({ operation: ["Recipe type must be one of: undelete."] }) },
  ],
  recipes: [
    ...PREFIXES.flatMap((p): Case[] => [
      { name: `${p} GET unknown`, req: () => ["GET", `${p}/recipes/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
      { name: `${p} PATCH unknown`, req: () => ["PATCH", `${p}/recipes/${UNKNOWN}`, { arch: "aarch64" }], status: 404, body: () => NOT_FOUND },
      { name: `${p} DELETE unknown`, req: () => ["DELETE", `${p}/recipes/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
    ]),
    {
      name: "every field wrong, in schema order, unknown last",
      req: () => ["POST", "/v3/recipes", {
        bogus: 1, arch: "ppc64le", require_dkms: "maybe", template_dictionary: [{ key: "a" }, { key: "b", value: 2 }], linux_distribution: "ubuntu",
        recipe_type: "docker", link: { x: 1, type: "http", path: "" }, name: "r",
      }],
      status: 422,
      body: () => invalid({
        link: { path: ["name field must not be blank"], type: ["Type must be one of: s3."], x: ["Unknown field."] },
        recipe_type: ["Recipe type must be one of: kiwi-ng, packer."],
        linux_distribution: ["Recipe type must be one of: sles12, sles15, centos7."],
        template_dictionary: { "0": { value: ["Missing data for required field."] }, "1": { value: ["Not a valid string."] } },
        require_dkms: ["Not a valid boolean."],
        arch: ["Must be one of: aarch64, x86_64."],
        bogus: ["Unknown field."],
      }),
    },
    { name: "required fields", req: () => ["POST", "/recipes", { arch: "x86_64" }], status: 422, body: () => invalid({ name: ["Missing data for required field."], recipe_type: ["Missing data for required field."], linux_distribution: ["Missing data for required field."] }) },
    {
      name: "a link to a missing archive",
      req: () => ["POST", "/v2/recipes", { name: "r", recipe_type: "packer", linux_distribution: "centos7", link: { type: "s3", path: "s3://ims/recipes/none.tgz" } }],
      status: 422,
      body: () => notValidated("{'path': 's3://ims/recipes/none.tgz', 'etag': '', 'type': 's3'}"),
    },
    { name: "PATCH {}", req: (s) => ["PATCH", `/v3/recipes/${s.recipe}`, {}], status: 400, body: () => MISSING },
    { name: "PATCH an immutable field", req: (s) => ["PATCH", `/v3/recipes/${s.recipe}`, { name: "x", link: null }], status: 422, body: () => invalid({ link: ["Field may not be null."], name: ["Unknown field."] }) },
    { name: "PATCH another link", req: (s) => ["PATCH", `/recipes/${s.recipe}`, { link: { path: "s3://ims/recipes/other.tgz", type: "s3" } }], status: 409, body: () => CONFLICT },
    {
      name: "PATCH a link to a missing archive (printed as sent)",
      req: (s) => ["PATCH", `/v3/recipes/${s.bareRecipe}`, { link: { type: "s3", path: "s3://ims/nope.tgz" } }],
      status: 422,
      body: () => notValidated("{'type': 's3', 'path': 's3://ims/nope.tgz'}"),
    },
    { name: "deleted: GET unknown", req: () => ["GET", `/v3/deleted/recipes/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
    { name: "deleted: DELETE unknown", req: () => ["DELETE", `/v3/deleted/recipes/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
    {
      name: "deleted: undelete when the moved archive is gone",
      req: (s) => ["PATCH", `/v3/deleted/recipes/${s.goneRecipe}`, { operation: "undelete" }],
      status: 422,
      body: (s) => notValidated(`{'etag': '${s.deletedRecipeLink.etag}', 'path': '${s.deletedRecipeLink.path}', 'type': 's3'}`),
    },
  ],
  images: [
    ...PREFIXES.flatMap((p): Case[] => [
      { name: `${p} GET unknown`, req: () => ["GET", `${p}/images/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
      { name: `${p} PATCH unknown`, req: () => ["PATCH", `${p}/images/${UNKNOWN}`, {}], status: 404, body: () => NOT_FOUND },
      { name: `${p} DELETE unknown`, req: () => ["DELETE", `${p}/images/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
    ]),
    {
      name: "blank name, bad arch, metadata not a mapping, unknown field",
      req: () => ["POST", "/v3/images", { extra: 1, metadata: "x", arch: "ppc", name: "" }],
      status: 422,
      body: () => invalid({ name: ["name field must not be blank"], arch: ["Must be one of: aarch64, x86_64."], metadata: ["Not a valid mapping type."], extra: ["Unknown field."] }),
    },
    { name: "metadata {key, value} of the wrong types", req: () => ["POST", "/v3/images", { name: "i", metadata: { key: 5, value: 6 } }], status: 422, body: () => invalid({ metadata: { "5": { key: ["Not a valid string."], value: ["Not a valid string."] } } }) },
    { name: "metadata key null", req: () => ["POST", "/images", { name: "i", metadata: { key: null }, bogus: 1 }], status: 422, body: () => invalid({ metadata: { null: { key: ["Field may not be null."] } }, bogus: ["Unknown field."] }) },
    { name: "metadata value null", req: () => ["POST", "/images", { name: "i", metadata: { key: "k", value: null } }], status: 422, body: () => invalid({ metadata: { k: { value: ["Field may not be null."] } } }) },
    { name: "a link to a missing manifest", req: () => ["POST", "/v3/images", { name: "i", link: { path: "s3://boot-images/none/manifest.json", type: "s3" } }], status: 422, body: () => notValidated("{'path': 's3://boot-images/none/manifest.json', 'etag': '', 'type': 's3'}") },
    ...(
      [
        ["no version", { artifacts: [] }, 422, "The image's manifest.json does not contain a version field."],
        ["version 2.0", { version: "2.0", artifacts: [] }, 422, "The image's manifest.json has a version that is not supported. Supported image manifest versions are: 1.0"],
        ["no artifacts", { version: "1.0" }, 422, `${MALFORMED} It does not contain an artifacts map.`],
        ["artifacts not a list", { version: "1.0", artifacts: {} }, 422, `${MALFORMED} The artifacts property is not a json list.`],
        ["an artifact not an object", { version: "1.0", artifacts: ["x"] }, 422, `${MALFORMED} A listed artifact is not a json dictionary.`],
        ["an artifact without link", { version: "1.0", artifacts: [{ type: ROOTFS }] }, 422, `${MALFORMED} An artifact does not have a link value`],
        ["a link without type", { version: "1.0", artifacts: [{ type: ROOTFS, link: { path: "s3://b/k" } }] }, 422, `${MALFORMED} An artifact does not have a link type field`],
        ["a link type other than s3", { version: "1.0", artifacts: [{ type: ROOTFS, link: { path: "s3://b/k", type: "S3" } }] }, 422, `${MALFORMED} An artifact link type 'S3' not supported`],
        ["a link without path", { version: "1.0", artifacts: [{ type: ROOTFS, link: { type: "s3" } }] }, 422, `${MALFORMED} An artifact does not have a link path field`],
        ["an artifact that is missing", { version: "1.0", artifacts: [{ type: ROOTFS, link: { type: "s3", etag: "e", path: "s3://boot-images/m/missing" } }] }, 422, `The s3 artifact {'type': 's3', 'etag': 'e', 'path': 's3://boot-images/m/missing'} cannot be validated. ${PLEASE}`],
        ["an artifact without type", { version: "1.0", artifacts: [{ link: { type: "s3", path: "s3://boot-images/m/rootfs" } }] }, 422, `${MALFORMED} An artifact does not have a type field`],
        ["no rootfs", { version: "1.0", artifacts: [] }, 400, `Error reading the manifest.json for IMS {'path': 's3://boot-images/m/manifest.json', 'etag': '', 'type': 's3'}. The manifest does not include any rootfs artifacts. ${DETERMINE}`],
        ["two rootfs", { version: "1.0", artifacts: [rootfsAt("s3://boot-images/m/rootfs"), rootfsAt("s3://boot-images/m/rootfs")] }, 400, `Error reading the manifest.json for {'path': 's3://boot-images/m/manifest.json', 'etag': '', 'type': 's3'}. The manifest includes multiple rootfs artifacts. ${DETERMINE}`],
        ["over the size limit", { version: "1.0", pad: "x".repeat(1024 * 1024) }, 400, `Image manifest file is larger than the expected maximum size for the s3 artifact {'path': 's3://boot-images/m/manifest.json', 'etag': '', 'type': 's3'}. ${PLEASE}`],
      ] as const
    ).map(([what, manifest, status, detail]): Case => ({
      name: `manifest: ${what}`,
      req: () => ["POST", "/v3/images", { name: "m", link: { path: "s3://boot-images/m/manifest.json", type: "s3" } }, { "x-manifest": JSON.stringify(manifest) }],
      status,
      body: () => problem(status, status === 400 ? "Bad Request" : "Unprocessable Entity", detail),
    })),
    {
      name: "a link another image has",
      req: () => ["POST", "/v3/images", { name: "again", link: { path: "s3://boot-images/good/manifest.json", type: "s3" } }],
      status: 422,
      body: (s) => unprocessable(`The link path s3://boot-images/good/manifest.json matches the link path for the IMS image record ${s.image}. The link value must be unique and cannot be duplicated. ${DETERMINE}`),
    },
    { name: "PATCH another link", req: (s) => ["PATCH", `/v3/images/${s.image}`, { link: { path: "s3://boot-images/good/manifest.json", type: "s3" } }], status: 409, body: () => CONFLICT },
    { name: "PATCH a link to a missing manifest (printed as sent)", req: (s) => ["PATCH", `/v2/images/${s.bareImage}`, { link: { type: "s3", path: "s3://boot-images/x.json" } }], status: 422, body: () => notValidated("{'type': 's3', 'path': 's3://boot-images/x.json'}") },
    { name: "PATCH metadata: an unknown operation", req: (s) => ["PATCH", `/v3/images/${s.image}`, { metadata: { operation: "drop", key: "k" } }], status: 422, body: () => invalid({ metadata: { operation: ["Must be one of: set, remove."] } }) },
    { name: "PATCH metadata: no key, an extra field", req: (s) => ["PATCH", `/v3/images/${s.image}`, { metadata: { extra: 1, operation: "set" }, name: "n" }], status: 422, body: () => invalid({ metadata: { key: ["Missing data for required field."], extra: ["Unknown field."] }, name: ["Unknown field."] }) },
    { name: "deleted: GET unknown", req: () => ["GET", `/v3/deleted/images/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
    {
      name: "deleted: undelete when the deleted manifest is gone",
      req: (s) => ["PATCH", `/v3/deleted/images/${s.goneImage}`, { operation: "undelete" }],
      status: 422,
      body: (s) => unprocessable(`Unable to read manifest file for the s3 artifact {'path': 's3://boot-images/deleted/${s.goneImage}/deleted_manifest.json', 'type': 's3'}. ${PLEASE}`),
    },
    { name: "deleted: undelete with a manifest without artifacts", req: (s) => ["PATCH", `/v3/deleted/images/${s.hollowImage}`, { operation: "undelete" }], status: 422, body: () => unprocessable(`${MALFORMED} The manifest does not contain an artifacts section.`) },
    { name: "deleted: purge with a manifest without artifacts", req: (s) => ["DELETE", `/v3/deleted/images/${s.hollowImage}`], status: 422, body: () => unprocessable(`${MALFORMED} The manifest does not contain a manifest section.`) },
  ],
  jobs: [
    ...PREFIXES.flatMap((p): Case[] => [
      { name: `${p} POST {}`, req: () => ["POST", `${p}/jobs`, {}], status: 400, body: () => MISSING },
      { name: `${p} GET unknown`, req: () => ["GET", `${p}/jobs/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
      { name: `${p} PATCH unknown`, req: () => ["PATCH", `${p}/jobs/${UNKNOWN}`, { status: "error" }], status: 404, body: () => NOT_FOUND },
      { name: `${p} DELETE unknown`, req: () => ["DELETE", `${p}/jobs/${UNKNOWN}`], status: 404, body: () => NOT_FOUND },
    ]),
    {
      name: "schema: every field wrong, in schema order, unknown last",
      req: () => ["POST", "/v3/jobs", {
        status: "x", job_mem_size: 0, ssh_containers: "x", build_env_size: 0.5, image_root_archive_name: "", job_type: "build",
        public_key_id: "nope", artifact_id: 5, enable_debug: "tRuE", kernel_file_name: null, initrd_file_name: "", kernel_parameters_file_name: "",
      }],
      status: 422,
      body: () => invalid({
        artifact_id: ["Not a valid UUID."],
        public_key_id: ["Not a valid UUID."],
        job_type: ["Job type must be one of: create, customize."],
        image_root_archive_name: ["image_root_archive_name field must not be blank"],
        enable_debug: ["Not a valid boolean."],
        build_env_size: [SIZE],
        kernel_file_name: ["Field may not be null."],
        initrd_file_name: ["initrd_file_name field must not be blank"],
        kernel_parameters_file_name: ["kernel_parameters_file_name field must not be blank"],
        ssh_containers: ["Not a valid list."],
        job_mem_size: [SIZE],
        status: ["Unknown field."],
      }),
    },
    { name: "create with ssh containers", req: (s) => ["POST", "/v3/jobs", job(s, { ssh_containers: [{ name: "x" }] })], status: 400, body: () => bad(`User defined ssh containers during image create are not currently supported. ${DETERMINE}`) },
    {
      name: "customize with two containers",
      req: (s) => ["POST", "/v2/jobs", customize(s.image, { ssh_containers: [{ name: "a" }, {}] })],
      status: 400,
      body: () => bad("Only one SSH container is currently supported. Please remove additional containers, determine the specific information that is missing or invalid and then re-run the request with valid information."),
    },
    { name: "an unknown recipe", req: (s) => ["POST", "/jobs", job(s, { artifact_id: UNKNOWN })], status: 400, body: () => bad(`Invalid artifact_id value in job request. No IMS recipe record found matching id=${UNKNOWN}. ${DETERMINE}`) },
    { name: "an unknown image", req: () => ["POST", "/v3/jobs", customize(UNKNOWN.toUpperCase())], status: 400, body: () => bad(`Invalid artifact_id value in job request. No IMS image record found matching id=${UNKNOWN}. ${DETERMINE}`) },
    { name: "a recipe without link", req: (s) => ["POST", "/v3/jobs", job(s, { artifact_id: s.bareRecipe })], status: 400, body: (s) => bad(`The IMS recipe does not have an artifact_link for recipe_id=${s.bareRecipe}. ${PLEASE}`) },
    { name: "an image without link", req: (s) => ["POST", "/v3/jobs", customize(s.bareImage)], status: 400, body: (s) => bad(`The IMS image does not have an artifact_link for image_id=${s.bareImage}. ${PLEASE}`) },
    { name: "a recipe whose archive is gone", req: (s) => ["POST", "/v3/jobs", job(s, { artifact_id: s.lostRecipe })], status: 422, body: () => notValidated("{'path': 's3://ims/recipes/lost.tgz', 'etag': '', 'type': 's3'}") },
    ...(["v2", "v42", "noVersion", "untyped"] as const).map((which): Case => ({
      name: `customize: manifest ${which}, checked before the public key`,
      req: (s) => ["POST", "/v3/jobs", customize(s.customize[which])],
      status: 400,
      body: (s) => corrupt(s.customize[which]),
    })),
    { name: "customize: no rootfs", req: (s) => ["POST", "/v3/jobs", customize(s.customize.noRootfs)], status: 400, body: (s) => bad(`Error reading the manifest.json for IMS image_id=${s.customize.noRootfs}. The manifest does not include any rootfs artifacts. ${DETERMINE}`) },
    { name: "customize: two rootfs", req: (s) => ["POST", "/v3/jobs", customize(s.customize.twoRootfs)], status: 400, body: (s) => bad(`Error reading the manifest.json for IMS image_id=${s.customize.twoRootfs}. The manifest includes multiple rootfs artifacts. ${DETERMINE}`) },
    { name: "customize: rootfs without link", req: (s) => ["POST", "/v3/jobs", customize(s.customize.unlinkedRootfs)], status: 400, body: (s) => bad(`The rootfs referenced in the manifest.json for ims_image_id=${s.customize.unlinkedRootfs} does not have a artifact link. ${PLEASE}`) },
    { name: "customize: rootfs link without type", req: (s) => ["POST", "/v3/jobs", customize(s.customize.untypedLink)], status: 422, body: () => unprocessable(`The s3 artifact {'path': 's3://boot-images/untypedlink/rootfs'} cannot be validated. The artifact link type is not supported. ${PLEASE}`) },
    { name: "customize: rootfs gone", req: (s) => ["POST", "/v3/jobs", customize(s.customize.lostRootfs)], status: 422, body: () => notValidated("{'type': 's3', 'path': 's3://boot-images/lostrootfs/gone'}") },
    { name: "an unknown public key", req: (s) => ["POST", "/v3/jobs", customize(s.image)], status: 400, body: () => bad(`Invalid public_key_id value in job request. No IMS public-key record found matching id=${UNKNOWN}`) },
    { name: "PATCH {}", req: (s) => ["PATCH", `/v3/jobs/${s.job}`, {}], status: 400, body: () => MISSING },
    {
      name: "PATCH status and image id",
      req: (s) => ["PATCH", `/v3/jobs/${s.job}`, { resultant_image_id: "x", status: "done", job_type: "customize" }],
      status: 422,
      body: () => invalid({
        status: ["Job state must be one of: creating, fetching_image, fetching_recipe, waiting_for_repos, building_image, packaging_artifacts, waiting_on_user, error, success."],
        resultant_image_id: ["Not a valid UUID."],
        job_type: ["Unknown field."],
      }),
    },
    ...(
      [
        ["status=error&status=Bogus", `Unsupported status bogus in query parameters. ${DETERMINE}`],
        ["job_type=Create", `Unsupported job_type Create in query parameters. ${DETERMINE}`],
        ["age=99999999999w", `Unsupported age 99999999999w in query parameters. ${DETERMINE}`],
      ] as const
    ).map(([query, title]): Case => ({ name: `DELETE ?${query}: the message is the title`, req: () => ["DELETE", `/v3/jobs?${query}`], status: 400, body: () => ({ status: 400, title }) })),
  ],
  "remote build nodes": [
    { name: "POST {}", req: () => ["POST", "/v3/remote-build-nodes", {}], status: 400, body: () => MISSING },
    { name: "blank xname, unknown field", req: () => ["POST", "/v3/remote-build-nodes", { arch: "x86_64", xname: "" }], status: 422, body: () => invalid({ xname: ["name field must not be blank"], arch: ["Unknown field."] }) },
    { name: "xname not a string", req: () => ["POST", "/v3/remote-build-nodes", { xname: 5 }], status: 422, body: () => invalid({ xname: ["Not a valid string."] }) },
    { name: "a body that is not an object", req: () => ["POST", "/v3/remote-build-nodes", "x3000"], status: 422, body: () => invalid({ _schema: ["Invalid input type."] }) },
    { name: "GET unknown", req: () => ["GET", "/v3/remote-build-nodes/x9"], status: 404, body: () => NOT_FOUND },
    { name: "DELETE unknown", req: () => ["DELETE", "/v3/remote-build-nodes/x9"], status: 404, body: () => NOT_FOUND },
    { name: "status of unknown", req: () => ["GET", "/v3/remote-build-nodes/status/x9"], status: 404, body: () => NOT_FOUND },
  ],
  framework: [
    {
      name: "an unknown URL",
      req: () => ["GET", "/v3/nothing"],
      status: 404,
      body: () => problem(404, "Not Found", "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."),
    },
    { name: "POST without body or Content-Type (Flask: 415)", req: () => ["POST", "/v3/recipes"], status: 415 },
    { name: "a body that is not JSON text", req: () => ["POST", "/v3/recipes", { raw: "{name" }, { "content-type": "application/json" }], status: 400 },
    { name: "a method the route lacks", req: (s) => ["PATCH", `/v3/public-keys/${s.publicKey}`, {}], status: 405 },
  ],
};

describe.each(Object.keys(FAMILIES))("%s: upstream's answers, byte for byte, and nothing written", (family) => {
  test.each(FAMILIES[family]!.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const [method, path, body, headers = {}] = c.req(s);
    const { "x-manifest": manifest, ...sent } = headers;
    if (manifest) await put("s3://boot-images/m/manifest.json", JSON.parse(manifest) === null ? "" : manifest);
    const before = await r.snapshot();
    const res = await r.call(method, path, body, sent);
    expect({ status: res.status, type: res.headers.get("content-type") }).toEqual({ status: c.status, type: "application/problem+json" });
    if (c.body) expect(res.text).toBe(pyDumps(c.body(s)));
    if (c.status === 405) expect(res.headers.get("allow")).toBe("DELETE, GET, HEAD, OPTIONS");
    expect(await r.snapshot()).toBe(before);
  });
});

test("a problem body is written exactly as httpproblem writes it", async () => {
  const res = await r.call("GET", `/v3/images/${UNKNOWN}`);
  expect(res.text).toBe('{"status": 404, "title": "Not Found", "detail": "Requested resource does not exist. Re-run request with valid ID."}');
});

test("creates answer as flask-restful writes them: json.dumps in marshmallow's field order, and a newline", async () => {
  const key = await r.call("POST", "/v3/public-keys", { public_key: "k", name: "n" });
  expect(key.text).toBe(`{"name": "n", "public_key": "k", "id": "${key.body.id}", "created": "${key.body.created}"}\n`);
  const image = await r.call("POST", "/images", { metadata: { key: "k" }, name: "i" });
  expect(image.text).toBe(`{"name": "i", "link": null, "arch": "x86_64", "metadata": {"k": ""}, "id": "${image.body.id}", "created": "${image.body.created}"}\n`);
  const recipe = await r.call("POST", "/v2/recipes", { linux_distribution: "sles15", recipe_type: "kiwi-ng", name: "r", template_dictionary: [{ value: "v", key: "k" }] });
  expect(recipe.text).toBe(
    `{"name": "r", "link": null, "recipe_type": "kiwi-ng", "linux_distribution": "sles15", "template_dictionary": [{"key": "k", "value": "v"}], ` +
      `"require_dkms": true, "arch": "x86_64", "id": "${recipe.body.id}", "created": "${recipe.body.created}"}\n`,
  );
  expect((await r.call("POST", "/v3/remote-build-nodes", { xname: "x1" })).text).toBe('{"xname": "x1"}\n');
  expect((await r.call("GET", "/version")).text).toBe('{"version": "test-version"}\n');
  // GET is jsonify: sorted, compact.
  expect((await r.call("GET", `/v3/public-keys/${key.body.id}`)).text).toBe(`{"created":"${key.body.created}","id":"${key.body.id}","name":"n","public_key":"k"}\n`);
});
