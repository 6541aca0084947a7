import { expect, test } from "bun:test";
import { readJobImages, readSigningKeySecret } from "./config-job-images.ts";
import { DEFAULT_JOBS_CONFIG } from "@ims/core";

const from = (env: Record<string, string>) => (name: string) => env[name];

test("image variables become repository/tag/pull policy; unset ones are left to the templates", () => {
  const problems: string[] = [];
  const images = readJobImages(
    from({ IMS_JOB_IMAGE_UTILS: "registry.local:5000/csm/cray-ims-utils:2.17.0", IMS_JOB_IMAGE_PULL_POLICY: "always" }),
    problems,
  );
  expect(problems).toEqual([]);
  expect(images).toEqual({ utils: { repository: "registry.local:5000/csm/cray-ims-utils", tag: "2.17.0", pull_policy: "Always" } });
  expect(readJobImages(from({}), [])).toBeUndefined();
});

test("bad image references and pull policies are reported by name", () => {
  const problems: string[] = [];
  readJobImages(from({ IMS_JOB_IMAGE_SSHD: "no-tag", IMS_JOB_IMAGE_PACKER: "a b:1", IMS_JOB_IMAGE_PULL_POLICY: "sometimes" }), problems);
  expect(problems).toHaveLength(3);
  expect(problems.join("\n")).toContain("IMS_JOB_IMAGE_SSHD");
  expect(problems.join("\n")).toContain("IMS_JOB_IMAGE_PACKER");
  expect(problems.join("\n")).toContain("IMS_JOB_IMAGE_PULL_POLICY");
});

test("the signing-key Secret is namespace/name", () => {
  const fallback = DEFAULT_JOBS_CONFIG.signingKeySecret;
  expect(readSigningKeySecret(from({ IMS_JOB_SIGNING_KEY_SECRET: "vault/site-signing" }), [], fallback)).toEqual({ namespace: "vault", name: "site-signing" });
  expect(readSigningKeySecret(from({}), [], fallback)).toBe(fallback);
  const problems: string[] = [];
  readSigningKeySecret(from({ IMS_JOB_SIGNING_KEY_SECRET: "../etc" }), problems, fallback);
  expect(problems[0]).toContain("namespace/name");
});
