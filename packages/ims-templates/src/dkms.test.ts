/** jobs.md §3: what DKMS on/off, aarch64 and a remote node change in the Job. */
import { describe, expect, test } from "bun:test";
import { renderJobObjects } from "./index.ts";
import { KINDS, allContainers, baseParams, envValue, podSpec, securityParams, type SecurityInputs } from "./test-support.ts";

/** The always-privileged build/prepare container of each kind. */
const BUILDER = { "create-kiwi-ng": "build-image", "create-packer": "build-image", customize: "prepare" } as const;

function render(kind: (typeof KINDS)[number], sec: SecurityInputs) {
  return podSpec(renderJobObjects(kind, baseParams(kind, securityParams(sec))).job);
}

describe.each(KINDS)("%s", (kind) => {
  const find = (spec: ReturnType<typeof render>, name: string) =>
    [...spec.initContainers, ...spec.containers].find((c) => c.name === name)!;

  test("DKMS on: kata runtime, mount service account, privileged sshd with SYS_ADMIN", () => {
    const spec = render(kind, { requireDkms: true });
    expect(spec.runtimeClassName).toBe("kata-qemu");
    expect(spec.serviceAccountName).toBe("ims-service-job-mount");
    const sshd = find(spec, "sshd");
    expect(sshd.securityContext).toEqual({ privileged: true, capabilities: { add: ["SYS_ADMIN"] } });
    expect(find(spec, BUILDER[kind]).securityContext).toEqual({ privileged: true, capabilities: { add: ["SYS_ADMIN"] } });
    for (const c of [...spec.initContainers, ...spec.containers]) {
      if (c.env?.some((e) => e.name === "JOB_ENABLE_DKMS")) expect(envValue(c, "JOB_ENABLE_DKMS")).toBe("True");
    }
  });

  test("DKMS off: cluster defaults, unprivileged sshd, builder still privileged", () => {
    const spec = render(kind, { requireDkms: false });
    expect("runtimeClassName" in spec).toBe(false);
    expect("serviceAccountName" in spec).toBe(false);
    expect(find(spec, "sshd").securityContext).toEqual({ privileged: false, capabilities: { add: [] } });
    expect(find(spec, BUILDER[kind]).securityContext).toEqual({ privileged: true, capabilities: { add: [] } });
    for (const c of [...spec.initContainers, ...spec.containers]) {
      if (c.env?.some((e) => e.name === "JOB_ENABLE_DKMS")) expect(envValue(c, "JOB_ENABLE_DKMS")).toBe("False");
    }
  });

  test("a non-kata JOB_KATA_RUNTIME falls back to kata-qemu; a kata one is used", () => {
    expect(render(kind, { requireDkms: true, kataRuntime: "runc" }).runtimeClassName).toBe("kata-qemu");
    expect(render(kind, { requireDkms: true, kataRuntime: " kata-clh " }).runtimeClassName).toBe("kata-clh");
  });

  test("aarch64 uses the aarch64 runtime; a remote node clears the runtime class only", () => {
    const arm = render(kind, { requireDkms: true, arch: "aarch64", aarch64Runtime: "kata-qemu-arm" });
    expect(arm.runtimeClassName).toBe("kata-qemu-arm");
    const remote = render(kind, { requireDkms: true, remoteNode: "x3000c0s1b0n0" });
    expect("runtimeClassName" in remote).toBe(false);
    expect(remote.serviceAccountName).toBe("ims-service-job-mount");
    expect(find(remote, "sshd").securityContext?.privileged).toBe(true);
  });

  test("BUILD_ARCH follows job_arch wherever it is passed", () => {
    const spec = render(kind, { requireDkms: true, arch: "aarch64" });
    const withArch = allContainers({ spec: { template: { spec } } }).filter((c) => c.env?.some((e) => e.name === "BUILD_ARCH"));
    if (kind !== "create-packer") expect(withArch.length).toBeGreaterThan(0);
    for (const c of withArch) expect(envValue(c, "BUILD_ARCH")).toBe("aarch64");
  });
});
