import { describe, expect, test } from "bun:test";
import { decideDkms, securitySettings, type DkmsInputs } from "./security.ts";
import { dkmsFlag } from "./config.ts";

describe("DKMS decision table (jobs.md §3), first match wins", () => {
  const base: DkmsInputs = { arch: "x86_64", jobType: "create", enableDkms: true };
  const rows: [string, DkmsInputs, boolean][] = [
    ["aarch64 forces true over user false", { ...base, arch: "aarch64", userValue: false, recipeValue: false }, true],
    ["aarch64 customize with JOB_ENABLE_DKMS off", { ...base, arch: "aarch64", jobType: "customize", enableDkms: false }, true],
    ["user false beats recipe true", { ...base, userValue: false, recipeValue: true }, false],
    ["user true beats recipe false", { ...base, userValue: true, recipeValue: false }, true],
    ["user true beats JOB_ENABLE_DKMS off (customize)", { ...base, jobType: "customize", userValue: true, enableDkms: false }, true],
    ["create takes the recipe's false", { ...base, recipeValue: false }, false],
    ["create takes the recipe's true even with JOB_ENABLE_DKMS off", { ...base, recipeValue: true, enableDkms: false }, true],
    ["customize with JOB_ENABLE_DKMS off", { ...base, jobType: "customize", enableDkms: false }, false],
    ["customize otherwise", { ...base, jobType: "customize" }, true],
  ];
  for (const [name, inputs, expected] of rows) test(name, () => expect(decideDkms(inputs)).toBe(expected));
});

describe("security settings", () => {
  const s = { arch: "x86_64" as const, remoteNode: "", kataRuntime: "kata-qemu", aarch64Runtime: "kata-qemu" };

  test("with DKMS: kata runtime, mount service account, privileged, SYS_ADMIN", () => {
    expect(securitySettings({ ...s, requireDkms: true })).toEqual({
      job_enable_dkms: true,
      runtime_class: "kata-qemu",
      service_account: "ims-service-job-mount",
      security_privilege: true,
      security_capabilities: ["SYS_ADMIN"],
    });
  });

  test("without DKMS: cluster defaults, unprivileged, no capabilities", () => {
    expect(securitySettings({ ...s, requireDkms: false })).toEqual({
      job_enable_dkms: false,
      runtime_class: "",
      service_account: "",
      security_privilege: false,
      security_capabilities: [],
    });
  });

  test("JOB_KATA_RUNTIME is trimmed and must name a kata runtime", () => {
    expect(securitySettings({ ...s, requireDkms: true, kataRuntime: "  kata-clh \n" }).runtime_class).toBe("kata-clh");
    expect(securitySettings({ ...s, requireDkms: true, kataRuntime: "runc" }).runtime_class).toBe("kata-qemu");
  });

  test("aarch64 takes JOB_AARCH64_RUNTIME as given (trimmed), whatever DKMS says", () => {
    expect(securitySettings({ ...s, arch: "aarch64", requireDkms: true, aarch64Runtime: " arm-vm " }).runtime_class).toBe("arm-vm");
    expect(securitySettings({ ...s, arch: "aarch64", requireDkms: false, aarch64Runtime: "runc" }).runtime_class).toBe("runc");
  });

  test("a remote build node clears the runtime class, nothing else", () => {
    const r = securitySettings({ ...s, requireDkms: true, remoteNode: "x3000c0s1b0n0" });
    expect(r).toMatchObject({ runtime_class: "", service_account: "ims-service-job-mount", security_privilege: true });
    expect(securitySettings({ ...s, arch: "aarch64", requireDkms: true, remoteNode: "x1" }).runtime_class).toBe("");
  });

  test("JOB_ENABLE_DKMS text as upstream reads it", () => {
    for (const t of ["True", "true", "1", "t", "T"]) expect(dkmsFlag(t)).toBe(true);
    for (const t of ["False", "0", "yes", "", " true"]) expect(dkmsFlag(t)).toBe(false);
  });
});
