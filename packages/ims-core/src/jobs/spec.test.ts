import { describe, expect, test } from "bun:test";
import { DEFAULT_JOBS_CONFIG, jobsConfig } from "./config.ts";
import { externalHostname, jobKind, jobSizes, kernelFileName, planJob, templateDictionary, type JobPlanInputs } from "./spec.ts";
import type { Recipe } from "../records.ts";

const ID = "0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a";
const recipe: Recipe = {
  id: "r1",
  created: "2024-01-01T00:00:00",
  name: "r",
  link: { path: "s3://ims/r.tgz", etag: "", type: "s3" },
  recipe_type: "kiwi-ng",
  linux_distribution: "sles15",
  template_dictionary: [{ key: "A", value: "1" }, { key: "B", value: "$x" }],
  require_dkms: false,
  arch: "x86_64",
};
const inputs = (over: Partial<JobPlanInputs> = {}): JobPlanInputs => ({
  id: ID,
  input: {
    job_type: "create",
    artifact_id: "r1",
    public_key_id: "k1",
    image_root_archive_name: "img",
    enable_debug: false,
    initrd_file_name: "initrd",
    kernel_parameters_file_name: "kernel-parameters",
    ssh_containers: null,
  },
  source: { arch: "x86_64", downloadUrl: "https://s3/r.tgz?sig", md5: "abc", recipe },
  publicKey: "ssh-ed25519 AAA",
  remoteNode: "",
  config: jobsConfig(),
  bucket: "boot-images",
  ...over,
});

describe("small pieces", () => {
  test("kernel file name defaults by arch, also for an empty string", () => {
    expect(kernelFileName(undefined, "x86_64")).toBe("vmlinuz");
    expect(kernelFileName("", "x86_64")).toBe("vmlinuz");
    expect(kernelFileName(undefined, "aarch64")).toBe("Image");
    expect(kernelFileName("", "aarch64")).toBe("Image");
    expect(kernelFileName("bzImage", "aarch64")).toBe("bzImage");
  });

  test("sizes: given values kept, defaults from the settings, always numbers", () => {
    expect(jobSizes({}, DEFAULT_JOBS_CONFIG)).toEqual({ build_env_size: 60, job_mem_size: 8 });
    expect(jobSizes({ build_env_size: 15, job_mem_size: 2 }, DEFAULT_JOBS_CONFIG)).toEqual({ build_env_size: 15, job_mem_size: 2 });
    expect(jobSizes({}, { defaultImageSize: 100, defaultJobMemSize: 16 })).toEqual({ build_env_size: 100, job_mem_size: 16 });
  });

  test("job kind from job type and recipe type", () => {
    expect(jobKind("create", { recipe_type: "kiwi-ng" })).toBe("create-kiwi-ng");
    expect(jobKind("create", { recipe_type: "packer" })).toBe("create-packer");
    expect(jobKind("customize")).toBe("customize");
  });

  test("external hostname and template dictionary", () => {
    expect(externalHostname(ID, { subnetName: "can", networkDomain: "example.com" })).toBe(`${ID}.ims.can.example.com`);
    expect(templateDictionary(recipe)).toEqual([{ key: "A", value: "1" }, { key: "B", value: "$x" }]);
    expect(templateDictionary({ template_dictionary: null })).toEqual([]);
  });
});

describe("planJob", () => {
  test("every template parameter of a create job (jobs.md §4)", () => {
    const plan = planJob(inputs());
    expect(plan.kind).toBe("create-kiwi-ng");
    expect(plan.requireDkms).toBe(false); // the recipe's value
    expect(plan.params).toEqual({
      id: ID,
      size_gb: 60,
      limit_gb: 180,
      pvc_gb: 300,
      job_mem_size: 8,
      job_mem_limit: 40,
      download_url: "https://s3/r.tgz?sig",
      download_md5sum: "abc",
      public_key: "ssh-ed25519 AAA",
      enable_debug: false,
      ssh_jail: false,
      image_root_archive_name: "img",
      kernel_filename: "vmlinuz",
      initrd_filename: "initrd",
      kernel_parameters_filename: "kernel-parameters",
      address_pool: "customer-management",
      hostname: `${ID}.ims.cmn.shasta.local`,
      namespace: "ims",
      s3_bucket: "boot-images",
      job_enable_dkms: false,
      runtime_class: "",
      service_account: "",
      security_privilege: false,
      security_capabilities: [],
      job_arch: "x86_64",
      remote_build_node: "",
      remote_heartbeat_timeout_count: 12,
      api_gateway_hostname: "api-gw-service-nmn.local",
      template_dictionary: [{ key: "A", value: "1" }, { key: "B", value: "$x" }],
      recipe_type: "kiwi-ng",
    });
  });

  test("sizes scale: limit x3, PVC x5, memory limit x5", () => {
    const p = planJob(inputs({ input: { ...inputs().input, build_env_size: 10, job_mem_size: 3 } })).params;
    expect([p.size_gb, p.limit_gb, p.pvc_gb, p.job_mem_size, p.job_mem_limit]).toEqual([10, 30, 50, 3, 15]);
  });

  test("aarch64: DKMS forced, Image kernel, aarch64 runtime", () => {
    const plan = planJob(inputs({ source: { ...inputs().source, arch: "aarch64" }, config: jobsConfig({ aarch64Runtime: "kata-arm" }) }));
    expect(plan.requireDkms).toBe(true);
    expect(plan.kernelFileName).toBe("Image");
    expect(plan.params).toMatchObject({ job_arch: "aarch64", runtime_class: "kata-arm", kernel_filename: "Image", security_capabilities: ["SYS_ADMIN"] });
  });

  test("a remote node is passed on and clears the runtime class", () => {
    const p = planJob(inputs({ remoteNode: "x3000c0s1b0n0", input: { ...inputs().input, require_dkms: true } })).params;
    expect(p).toMatchObject({ remote_build_node: "x3000c0s1b0n0", runtime_class: "", job_enable_dkms: true });
  });

  test("customize: no recipe fields, jail from the first container, DKMS from the settings", () => {
    const input = { ...inputs().input, job_type: "customize" as const, ssh_containers: [{ name: "customize", jail: true }] };
    const plan = planJob(inputs({ input, source: { arch: "x86_64", downloadUrl: "u", md5: "" } }));
    expect(plan.kind).toBe("customize");
    expect(plan.requireDkms).toBe(true);
    expect(plan.params.ssh_jail).toBe(true);
    expect("template_dictionary" in plan.params || "recipe_type" in plan.params).toBe(false);
    const off = planJob(inputs({ input, source: { arch: "x86_64", downloadUrl: "u", md5: "" }, config: jobsConfig({ enableDkms: false }) }));
    expect(off.requireDkms).toBe(false);
  });

  test("configured images are handed to the templates", () => {
    const images = { sshd: { repository: "reg/sshd", tag: "1", pull_policy: "Always" as const } };
    expect(planJob(inputs({ config: jobsConfig({ images }) })).params.images).toEqual(images);
  });
});
