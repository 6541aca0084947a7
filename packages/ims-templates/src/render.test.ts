/** The rendered objects match jobs.md §5: names, labels, containers, env, volumes. */
import { describe, expect, test } from "bun:test";
import { DEFAULT_JOB_IMAGES, renderJobObjects, type JobKind } from "./index.ts";
import { JOB_ID, KINDS, allContainers, baseParams, envValue, podSpec, securityParams, type Container } from "./test-support.ts";

const S3_SECRETS = ["S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_ENDPOINT", "S3_SSL_VALIDATE"];

/** Container layout per kind: init containers, containers, env names in order, mounts. */
const LAYOUT: Record<JobKind, { init: Record<string, string[]>; main: Record<string, string[]>; volumes: string[] }> = {
  "create-kiwi-ng": {
    init: {
      "fetch-recipe": ["API_GATEWAY_HOSTNAME", "CA_CERT", "OAUTH_CONFIG_DIR", "IMS_JOB_ID", "DOWNLOAD_MD5SUM", "LOG_LEVEL"],
      "wait-for-repos": ["CA_CERT", "RECIPE_ROOT_PARENT", "IMS_JOB_ID", "OAUTH_CONFIG_DIR", "LOG_LEVEL"],
      "build-ca-rpm": ["API_GATEWAY_HOSTNAME", "CA_CERT", "OAUTH_CONFIG_DIR", "IMS_JOB_ID", "BUILD_ARCH", "LOG_LEVEL"],
      "build-image": [
        "API_GATEWAY_HOSTNAME", "CA_CERT", "OAUTH_CONFIG_DIR", "ENABLE_DEBUG", "REMOTE_BUILD_NODE",
        "RECIPE_ROOT_PARENT", "IMAGE_ROOT_PARENT", "IMS_JOB_ID", "JOB_ENABLE_DKMS", "BUILD_ARCH", "IMS_ARM_BUILDER",
        "IMAGE_ROOT_ARCHIVE_NAME", "KERNEL_FILENAME", "INITRD_FILENAME", "KERNEL_PARAMETERS_FILENAME",
      ],
    },
    main: {
      "buildenv-sidecar": [
        "API_GATEWAY_HOSTNAME", "CA_CERT", "OAUTH_CONFIG_DIR", "ENABLE_DEBUG", "IMS_ACTION", "SERVICE_NAME",
        "IMAGE_ROOT_PARENT", "IMAGE_ROOT_ARCHIVE_NAME", "KERNEL_FILENAME", "INITRD_FILENAME",
        "KERNEL_PARAMETERS_FILENAME", "IMS_JOB_ID", "SSH_JAIL", "BUILD_ARCH", "S3_BUCKET", "LOG_LEVEL", ...S3_SECRETS,
      ],
      sshd: [
        "API_GATEWAY_HOSTNAME", "CA_CERT", "ENABLE_DEBUG", "IMS_ACTION", "IMAGE_ROOT_PARENT", "SSHD_OPTIONS",
        "IMS_JOB_ID", "SSH_JAIL", "JOB_ENABLE_DKMS", "BUILD_ARCH",
      ],
    },
    volumes: [
      "image-vol", "specfile-vol", "ca-rpm-vol", "ims-config-vol", "ca-pubkey", "ssh-pubkey",
      "template-dictionary", "remote-key", "admin-client-auth", "signing-keys",
    ],
  },
  "create-packer": {
    init: {
      "fetch-recipe": ["API_GATEWAY_HOSTNAME", "CA_CERT", "OAUTH_CONFIG_DIR", "IMS_JOB_ID", "DOWNLOAD_MD5SUM"],
      "build-image": [
        "API_GATEWAY_HOSTNAME", "CA_CERT", "OAUTH_CONFIG_DIR", "ENABLE_DEBUG", "RECIPE_ROOT_PARENT",
        "IMAGE_ROOT_PARENT", "IMS_JOB_ID",
      ],
    },
    main: {
      "buildenv-sidecar": [
        "API_GATEWAY_HOSTNAME", "CA_CERT", "OAUTH_CONFIG_DIR", "ENABLE_DEBUG", "IMS_ACTION", "SERVICE_NAME",
        "IMAGE_ROOT_PARENT", "IMAGE_ROOT_ARCHIVE_NAME", "KERNEL_FILENAME", "INITRD_FILENAME",
        "KERNEL_PARAMETERS_FILENAME", "IMS_JOB_ID", "SSH_JAIL", "S3_BUCKET", ...S3_SECRETS,
      ],
      sshd: [
        "API_GATEWAY_HOSTNAME", "CA_CERT", "ENABLE_DEBUG", "IMS_ACTION", "IMAGE_ROOT_PARENT", "SSHD_OPTIONS",
        "IMS_JOB_ID", "SSH_JAIL",
      ],
    },
    volumes: ["image-vol", "specfile-vol", "ca-rpm-vol", "ims-config-vol", "ca-pubkey", "ssh-pubkey", "admin-client-auth"],
  },
  customize: {
    init: {
      prepare: [
        "API_GATEWAY_HOSTNAME", "CA_CERT", "OAUTH_CONFIG_DIR", "IMS_JOB_ID", "SSH_JAIL", "DOWNLOAD_MD5SUM",
        "JOB_ENABLE_DKMS", "BUILD_ARCH", "REMOTE_BUILD_NODE", "IMAGE_ROOT_PARENT", "IMS_SSHD_IMAGE",
        "KERNEL_FILENAME", "INITRD_FILENAME", "KERNEL_PARAMETERS_FILENAME", "LOG_LEVEL",
      ],
    },
    main: {
      "buildenv-sidecar": [
        "API_GATEWAY_HOSTNAME", "CA_CERT", "OAUTH_CONFIG_DIR", "ENABLE_DEBUG", "IMS_ACTION", "SERVICE_NAME",
        "IMAGE_ROOT_PARENT", "IMAGE_ROOT_ARCHIVE_NAME", "KERNEL_FILENAME", "INITRD_FILENAME",
        "KERNEL_PARAMETERS_FILENAME", "IMS_JOB_ID", "SSH_JAIL", "BUILD_ARCH", "REMOTE_BUILD_NODE", "S3_BUCKET",
        "LOG_LEVEL", ...S3_SECRETS,
      ],
      sshd: [
        "API_GATEWAY_HOSTNAME", "CA_CERT", "ENABLE_DEBUG", "IMS_ACTION", "IMAGE_ROOT_PARENT", "SSHD_OPTIONS",
        "SSHD_CONFIG_FILE", "IMS_JOB_ID", "SSH_JAIL", "JOB_ENABLE_DKMS", "BUILD_ARCH", "REMOTE_BUILD_NODE",
        "REMOTE_HEARTBEAT_TIMEOUT_COUNT",
      ],
    },
    volumes: ["image-vol", "ims-config-vol", "ca-pubkey", "ssh-pubkey", "remote-key", "admin-client-auth"],
  },
};

const names = (cs: Container[]) => cs.map((c) => c.name);
const envNames = (c: Container) => (c.env ?? []).map((e) => e.name);

describe.each(KINDS)("%s", (kind) => {
  const type = kind === "customize" ? "customize" : "create";
  const objs = renderJobObjects(kind, baseParams(kind));
  const spec = podSpec(objs.job);
  const layout = LAYOUT[kind];

  test("object names, kinds and namespace", () => {
    const got = Object.fromEntries(
      Object.entries(objs).map(([k, o]) => [k, [o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace]]),
    );
    expect(got).toEqual({
      configmap: ["v1", "ConfigMap", `cray-ims-${JOB_ID}-configmap`, "ims"],
      service: ["v1", "Service", `cray-ims-${JOB_ID}-service`, "ims"],
      job: ["batch/v1", "Job", `cray-ims-${JOB_ID}-${type}`, "ims"],
      pvc: ["v1", "PersistentVolumeClaim", `cray-ims-${JOB_ID}-job-claim`, "ims"],
      destinationRule: ["networking.istio.io/v1beta1", "DestinationRule", `cray-ims-${JOB_ID}-service`, "ims"],
    });
  });

  test("ConfigMap data", () => {
    const data = objs.configmap.data as Record<string, string>;
    expect(data.public_key).toBe(baseParams(kind).public_key);
    if (type === "create") expect(data.template_dictionary).toBe('{"CSM_RELEASE_VERSION": "1.6.0"}');
    else expect(Object.keys(data)).toEqual(["public_key"]);
  });

  test("Service: LoadBalancer on TCP 22 with DNS and pool annotations", () => {
    expect(objs.service.metadata.annotations).toEqual({
      "external-dns.alpha.kubernetes.io/hostname": `${JOB_ID}.ims.cmn.shasta.local`,
      "metallb.universe.tf/address-pool": "customer-management",
    });
    expect(objs.service.spec).toEqual({
      type: "LoadBalancer",
      selector: { app: `ims-${JOB_ID}-${type}` },
      ports: [{ protocol: "TCP", port: 22, targetPort: 22 }],
    });
  });

  test("PVC: RWO with pvc_gb", () => {
    expect(objs.pvc.spec).toEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "300Gi" } } });
  });

  test("DestinationRule: service host, TLS disabled", () => {
    expect(objs.destinationRule.spec).toEqual({
      host: `cray-ims-${JOB_ID}-service.ims.svc.cluster.local`,
      trafficPolicy: { tls: { mode: "DISABLE" } },
    });
  });

  test("Job: no retries, never restarted, labels, kata annotation, anti-affinity", () => {
    const job = objs.job as any;
    expect(job.spec.backoffLimit).toBe(0);
    expect(spec.restartPolicy).toBe("Never");
    expect(job.spec.template.metadata.labels).toEqual({ app: `ims-${JOB_ID}-${type}`, "app.kubernetes.io/name": "ims-job" });
    expect(job.spec.template.metadata.annotations).toEqual({
      "io.katacontainers.config.hypervisor.virtio_fs_extra_args": '["-o", "xattr"]',
    });
    const pref = spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(pref).toEqual([
      {
        weight: 100,
        podAffinityTerm: {
          topologyKey: "kubernetes.io/hostname",
          namespaces: ["ims"],
          labelSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["ims-job"] }] },
        },
      },
    ]);
  });

  test("containers in order with their env names", () => {
    expect(names(spec.initContainers)).toEqual(Object.keys(layout.init));
    expect(names(spec.containers)).toEqual(Object.keys(layout.main));
    for (const c of spec.initContainers) expect([c.name, envNames(c)]).toEqual([c.name, layout.init[c.name]!]);
    for (const c of spec.containers) expect([c.name, envNames(c)]).toEqual([c.name, layout.main[c.name]!]);
  });

  test("volumes, and every mount names a volume", () => {
    expect(spec.volumes.map((v) => v.name)).toEqual(layout.volumes);
    for (const c of allContainers(objs.job)) {
      for (const m of c.volumeMounts ?? []) expect(layout.volumes).toContain(m.name);
      expect(c.volumeMounts?.find((m) => m.name === "image-vol")?.mountPath ?? "/mnt/image").toBe("/mnt/image");
    }
    const image = spec.volumes.find((v) => v.name === "image-vol");
    expect(image).toEqual({ name: "image-vol", persistentVolumeClaim: { claimName: `cray-ims-${JOB_ID}-job-claim` } });
    const key = spec.volumes.find((v) => v.name === "ssh-pubkey");
    expect(key).toEqual({
      name: "ssh-pubkey",
      configMap: { name: `cray-ims-${JOB_ID}-configmap`, items: [{ key: "public_key", path: "authorized_keys" }] },
    });
    expect(spec.volumes.find((v) => v.name === "ca-pubkey")).toEqual({
      name: "ca-pubkey",
      configMap: { name: "cray-configmap-ca-public-key" },
    });
  });

  test("memory request job_mem_size, limit job_mem_limit, on every container", () => {
    for (const c of allContainers(objs.job)) {
      expect(c.resources.requests.memory).toBe("8Gi");
      expect(c.resources.limits.memory).toBe("40Gi");
    }
  });

  test("typed values are written the way the job scripts expect", () => {
    const cs = allContainers(objs.job);
    const sidecar = spec.containers[0]!;
    expect(envValue(sidecar, "ENABLE_DEBUG")).toBe("False");
    expect(envValue(sidecar, "SSH_JAIL")).toBe("False");
    expect(envValue(sidecar, "IMS_ACTION")).toBe(type);
    expect(envValue(sidecar, "SERVICE_NAME")).toBe(`cray-ims-${JOB_ID}-service`);
    for (const c of cs) if (envValue(c, "IMS_JOB_ID") !== undefined) expect(envValue(c, "IMS_JOB_ID")).toBe(JOB_ID);
    for (const c of cs) {
      if (c.env?.some((e) => e.name === "CA_CERT")) expect(envValue(c, "CA_CERT")).toBe("/etc/cray/ca/certificate_authority.crt");
    }
    const first = spec.initContainers[0]!;
    expect(first.command!.at(-1)).toBe(baseParams(kind).download_url);
    expect(first.command!.slice(0, 2)).toEqual(["sh", "-ce"]);
    if (kind === "customize") {
      expect(envValue(spec.containers[1]!, "REMOTE_HEARTBEAT_TIMEOUT_COUNT")).toBe("12");
    }
  });

  test("images and pull policies come from the images parameter", () => {
    const { utils, sshd } = DEFAULT_JOB_IMAGES;
    expect(spec.containers[0]!.image).toBe(`${utils.repository}:${utils.tag}`);
    expect(spec.containers[1]!.image).toBe(`${sshd.repository}:${sshd.tag}`);
    const custom = renderJobObjects(
      kind,
      baseParams(kind, { images: { sshd: { repository: "reg.example/sshd", tag: "9", pull_policy: "Always" } } }),
    );
    const sshdC = podSpec(custom.job).containers[1]!;
    expect([sshdC.image, sshdC.imagePullPolicy]).toEqual(["reg.example/sshd:9", "Always"]);
    expect(podSpec(custom.job).containers[0]!.image).toBe(`${utils.repository}:${utils.tag}`);
  });
});

describe("kind-specific details", () => {
  test("kiwi-ng: builder images and signing keys", () => {
    const p = baseParams("create-kiwi-ng", {
      images: {
        kiwi_ng_builder: { repository: "reg/kiwi", tag: "1", pull_policy: "IfNotPresent" },
        kiwi_ng_aarch64_builder: { repository: "reg/kiwi-arm", tag: "2", pull_policy: "IfNotPresent" },
      },
    });
    const spec = podSpec(renderJobObjects("create-kiwi-ng", p).job);
    const build = spec.initContainers.find((c) => c.name === "build-image")!;
    expect(build.image).toBe("reg/kiwi:1");
    expect(envValue(build, "IMS_ARM_BUILDER")).toBe("reg/kiwi-arm:2");
    expect(build.volumeMounts).toContainEqual({ name: "signing-keys", mountPath: "/etc/cray/signing-keys", readOnly: true });
    expect(spec.volumes.find((v) => v.name === "signing-keys")).toEqual({
      name: "signing-keys",
      secret: { secretName: `cray-ims-${JOB_ID}-signing-keys`, optional: true },
    });
    expect(spec.volumes.find((v) => v.name === "template-dictionary")).toEqual({
      name: "template-dictionary",
      configMap: { name: `cray-ims-${JOB_ID}-configmap`, items: [{ key: "template_dictionary", path: "template_dictionary" }] },
    });
  });

  test("packer: build-image runs the packer builder", () => {
    const spec = podSpec(renderJobObjects("create-packer", baseParams("create-packer")).job);
    const { repository, tag } = DEFAULT_JOB_IMAGES.packer_builder;
    expect(spec.initContainers[1]!.image).toBe(`${repository}:${tag}`);
  });

  test("customize: prepare gets the sshd image, the remote node and the heartbeat count", () => {
    const p = baseParams("customize", { ...securityParams({ requireDkms: true, remoteNode: "x3000c0s1b0n0" }) });
    const spec = podSpec(renderJobObjects("customize", p).job);
    const prepare = spec.initContainers[0]!;
    const { repository, tag } = DEFAULT_JOB_IMAGES.sshd;
    expect(envValue(prepare, "IMS_SSHD_IMAGE")).toBe(`${repository}:${tag}`);
    expect(envValue(prepare, "REMOTE_BUILD_NODE")).toBe("x3000c0s1b0n0");
    expect(envValue(spec.containers[1]!, "REMOTE_BUILD_NODE")).toBe("x3000c0s1b0n0");
    expect(spec.runtimeClassName).toBeUndefined(); // a remote node needs no kata VM
  });

  test("debug and jail flags and the optional text parameters", () => {
    const p = baseParams("customize", {
      enable_debug: true,
      ssh_jail: true,
      log_level: "DEBUG",
      api_gateway_hostname: "api-gw-service-nmn.local",
      ca_configmap_name: "my-ca",
      admin_client_auth_secret_name: "my-auth",
    });
    const spec = podSpec(renderJobObjects("customize", p).job);
    const sidecar = spec.containers[0]!;
    expect(envValue(sidecar, "ENABLE_DEBUG")).toBe("True");
    expect(envValue(sidecar, "SSH_JAIL")).toBe("True");
    expect(envValue(sidecar, "LOG_LEVEL")).toBe("DEBUG");
    expect(envValue(sidecar, "API_GATEWAY_HOSTNAME")).toBe("api-gw-service-nmn.local");
    expect(spec.volumes.find((v) => v.name === "ca-pubkey")).toEqual({ name: "ca-pubkey", configMap: { name: "my-ca" } });
    expect(spec.volumes.find((v) => v.name === "admin-client-auth")).toEqual({
      name: "admin-client-auth",
      secret: { secretName: "my-auth" },
    });
  });

  test("template_dictionary is written like Python's json.dumps of the recipe list", () => {
    const p = baseParams("create-kiwi-ng", {
      template_dictionary: [
        { key: "a", value: "x" },
        { key: "é", value: "line\nbreak \"q\"" },
        { key: "a", value: "y" },
      ],
    });
    const data = renderJobObjects("create-kiwi-ng", p).configmap.data as Record<string, string>;
    expect(data.template_dictionary).toBe('{"a": "y", "\\u00e9": "line\\nbreak \\"q\\""}');
    expect(
      (renderJobObjects("create-packer", baseParams("create-packer", { template_dictionary: [] })).configmap.data as any)
        .template_dictionary,
    ).toBe("{}");
  });
});
