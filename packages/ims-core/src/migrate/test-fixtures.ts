/**
 * A realistic /var/ims/data directory (newest file names, spec records.md §8.1) for tests of
 * the migration, the CLI and the examples: `files` is what upstream wrote, `expected` what the
 * store must hold afterwards (load defaults applied, unknown and legacy fields dropped).
 */
import type { RecordSet } from "./collection.ts";

export const IDS = {
  key1: "0d4b0a64-9a7e-4c4c-9b8e-8a8f6f0e0a01",
  key2: "1e5c1b75-ab8f-4d5d-8c9f-9b9070f1b102",
  deletedKey: "2f6d2c86-bc90-4e6e-9da0-ac0181020c03",
  recipe1: "3a7e3d97-cda1-4f7f-8eb1-bd1292131d04",
  recipe2: "4b8f4ea8-deb2-4080-9fc2-ce23a3242e05",
  deletedRecipe: "5c905fb9-efc3-4191-a0d3-df34b4353f06",
  image1: "6da160ca-f0d4-42a2-b1e4-e045c5464007",
  image2: "7eb271db-01e5-43b3-82f5-f156d6575108",
  image3: "8fc382ec-12f6-44c4-93a6-0267e7686209",
  deletedImage: "90d493fd-2307-45d5-a4b7-13780879730a",
  job1: "a1e5a40e-3418-46e6-b5c8-24891980840b",
  job2: "b2f6b51f-4529-47f7-86d9-359a2a91950c",
} as const;

const sk = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 root@ncn-m001";
const link = (path: string, etag: string) => ({ path, etag, type: "s3" });
const manifest = (id: string) => `s3://boot-images/${id}/manifest.json`;
const k8s = (id: string, kind: string) => `cray-ims-${id}-${kind}`;

/** Records as the legacy files hold them (with the odd unknown or legacy field). */
export function legacyRecords() {
  const { key1, key2, deletedKey, recipe1, recipe2, deletedRecipe, image1, image2, image3, deletedImage, job1, job2 } = IDS;
  return {
    "v2_public_keys.json": [
      { created: "2023-11-02T08:15:42.123456", id: key1, name: "mgmt root key", public_key: sk },
      { created: "2024-01-09T17:00:00", id: key2, name: "second", public_key: `${sk}2` },
    ],
    "v3_deleted_public_keys.json": [{ created: "2022-05-05T05:05:05.000005", deleted: "2024-02-01T12:00:00.5", id: deletedKey, name: "old", public_key: sk }],
    "v2.2_recipes.json": [
      {
        arch: "aarch64", created: "2024-02-10T10:00:00.000100", id: recipe1, link: link(`s3://ims/recipes/${recipe1}/recipe.tar.gz`, "3f2504e04f8911d39a0c0305e82c3301"),
        linux_distribution: "sles15", name: "cos-3.0-aarch64", recipe_type: "kiwi-ng", require_dkms: false,
        template_dictionary: [{ key: "CSM_RELEASE_VERSION", value: "1.6.0" }, { key: "SLES_REPO", value: "http://repo/sles" }],
      },
      { arch: "x86_64", created: "2024-02-11T11:11:11.111111", id: recipe2, link: null, linux_distribution: "centos7", name: "packer", recipe_type: "packer", require_dkms: true, template_dictionary: [], retired: "yes" },
    ],
    "v3.2_deleted_recipes.json": [
      {
        arch: "x86_64", created: "2023-01-01T00:00:00", deleted: "2024-03-03T03:03:03.303030", id: deletedRecipe,
        link: link(`s3://ims/deleted/recipes/${deletedRecipe}/recipe.tar.gz`, "e1"), linux_distribution: "sles12", name: "gone", recipe_type: "kiwi-ng", require_dkms: true, template_dictionary: null,
      },
    ],
    "v2.1_images.json": [
      { arch: "x86_64", created: "2024-03-01T10:00:00.123456", id: image1, link: link(manifest(image1), "abc"), metadata: { k: "v", "ims.cray.com/tag": "prod" }, name: "cos-3.0" },
      { arch: "aarch64", created: "2024-03-02T10:00:00", id: image2, link: { path: manifest(image2), type: "s3" }, metadata: {}, name: "arm", platform: "aarch64" },
      { arch: "x86_64", created: "2024-03-03T10:00:00+00:00", id: image3, link: null, metadata: {}, name: "no link yet" },
    ],
    "v3.1_deleted_images.json": [
      {
        arch: "x86_64", created: "2023-06-01T00:00:00.000001", deleted: "2024-04-01T00:00:00", id: deletedImage,
        link: link(`s3://boot-images/deleted/${deletedImage}/deleted_manifest.json`, ""), metadata: { why: "superseded" }, name: "retired",
      },
    ],
    "v2.4_jobs.json": [
      {
        arch: "x86_64", artifact_id: image1, build_env_size: 60, created: "2024-03-05T09:30:00.654321", enable_debug: false, id: job1,
        image_root_archive_name: "cos-custom", initrd_file_name: "initrd", job_mem_size: 8, job_type: "customize", kernel_file_name: "vmlinuz",
        kernel_parameters_file_name: "kernel-parameters", kubernetes_configmap: k8s(job1, "configmap"), kubernetes_job: k8s(job1, "customize"),
        kubernetes_namespace: "ims", kubernetes_pvc: k8s(job1, "job-claim"), kubernetes_secret: k8s(job1, "signing-keys"), kubernetes_service: k8s(job1, "service"),
        public_key_id: key1, remote_build_node: "", require_dkms: true, resultant_image_id: null, status: "waiting_on_user",
        ssh_containers: [{
          connection_info: { "cluster.local": { host: `${k8s(job1, "service")}.ims.svc.cluster.local`, port: 22 }, customer_access: { host: `${job1}.ims.cmn.shasta.local`, port: 22 } },
          host: "10.0.0.1", jail: false, name: "customize", port: 22, status: "pending",
        }],
      },
      {
        arch: null, artifact_id: recipe1, build_env_size: 90, created: "2024-03-06T09:30:00", enable_debug: true, id: job2,
        image_root_archive_name: "cos-built", initrd_file_name: "initrd.img", job_mem_size: 16, job_type: "create", kernel_file_name: "Image",
        kernel_parameters_file_name: "kernel-parameters", kubernetes_configmap: k8s(job2, "configmap"), kubernetes_job: k8s(job2, "create"),
        kubernetes_namespace: "ims", kubernetes_pvc: k8s(job2, "job-claim"), kubernetes_secret: null, kubernetes_service: k8s(job2, "service"),
        public_key_id: key2, remote_build_node: "x3000c0s19b4n0", require_dkms: false, resultant_image_id: image2, ssh_containers: null, status: "success",
      },
    ],
    "v2.0_remote_build_nodes.json": [{ xname: "x3000c0s19b4n0" }, { xname: "x3000c0s20b4n0", ssh_ok: true }],
  };
}

/** The directory's files (whitespace is irrelevant to the loader). */
export function legacyFiles(): Record<string, string> {
  return Object.fromEntries(Object.entries(legacyRecords()).map(([name, records]) => [name, JSON.stringify(records, null, 1)]));
}

/** What the store must hold after migrating legacyFiles(). */
export function expectedRecords(): RecordSet {
  const files = legacyRecords();
  const drop = <T extends object>(r: T, ...keys: string[]) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k)));
  const [recipe1, recipe2] = files["v2.2_recipes.json"];
  const [image1, image2, image3] = files["v2.1_images.json"];
  const [job1, job2] = files["v2.4_jobs.json"];
  const container = (job1!.ssh_containers as object[])[0]!;
  const expected = {
    public_keys: files["v2_public_keys.json"],
    deleted_public_keys: files["v3_deleted_public_keys.json"],
    recipes: [recipe1, drop(recipe2!, "retired")],
    deleted_recipes: files["v3.2_deleted_recipes.json"],
    images: [image1, { ...drop(image2!, "platform"), link: { ...image2!.link, etag: "" } }, image3],
    deleted_images: files["v3.1_deleted_images.json"],
    jobs: [{ ...job1, ssh_containers: [drop(container, "host", "port")] }, { ...job2, arch: "x86_64" }],
    remote_build_nodes: [{ xname: "x3000c0s19b4n0" }, { xname: "x3000c0s20b4n0" }],
  };
  return expected as unknown as RecordSet;
}
