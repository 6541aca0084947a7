import { expect, test } from "bun:test";
import { DEFAULT_JOBS_CONFIG } from "@ims/core";
import { EnvReader } from "./env-reader.ts";
import { readJobImages, readSigningKeySecret } from "./job-images.ts";

const from = (env: Record<string, string>) => new EnvReader(env, "/");

test("image variables become repository/tag/pull policy; unset ones are left to the templates", () => {
  const r = from({ IMS_JOB_IMAGE_UTILS: "registry.local:5000/csm/cray-ims-utils:2.17.0", IMS_JOB_IMAGE_PULL_POLICY: "always" });
  const images = readJobImages(r);
  expect(r.problems).toEqual([]);
  expect(images).toEqual({ utils: { repository: "registry.local:5000/csm/cray-ims-utils", tag: "2.17.0", pull_policy: "Always" } });
  expect(readJobImages(from({}))).toBeUndefined();
});

test("bad image references and pull policies are reported by name", () => {
  const r = from({ IMS_JOB_IMAGE_SSHD: "no-tag", IMS_JOB_IMAGE_PACKER: "a b:1", IMS_JOB_IMAGE_PULL_POLICY: "sometimes" });
  readJobImages(r);
  const problems = r.problems;
  expect(problems).toHaveLength(3);
  expect(problems.join("\n")).toContain("IMS_JOB_IMAGE_SSHD");
  expect(problems.join("\n")).toContain("IMS_JOB_IMAGE_PACKER");
  expect(problems.join("\n")).toContain("IMS_JOB_IMAGE_PULL_POLICY");
});

test("the signing-key Secret is namespace/name", () => {
  const fallback = DEFAULT_JOBS_CONFIG.signingKeySecret;
  expect(readSigningKeySecret(from({ IMS_JOB_SIGNING_KEY_SECRET: "vault/site-signing" }))).toEqual({ namespace: "vault", name: "site-signing" });
  expect(readSigningKeySecret(from({}))).toBe(fallback);
  const r = from({ IMS_JOB_SIGNING_KEY_SECRET: "../etc" });
  readSigningKeySecret(r);
  expect(r.problems[0]).toContain("namespace/name");
});
