import { describe, expect, test } from "bun:test";
import { parseJobCreate, resolveSshContainers } from "./input.ts";
import type { ImsError } from "../errors.ts";

const KEY = "0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a";
const body = { job_type: "create", artifact_id: KEY, public_key_id: KEY, image_root_archive_name: "img" };
const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as ImsError;
  }
  throw new Error("expected an error");
};

describe("parseJobCreate", () => {
  test("empty bodies are 400, schema failures 422 with field errors", () => {
    for (const b of [undefined, null, {}, [], 0, ""]) expect(error(() => parseJobCreate(b)).kind).toBe("missing_input");
    const e = error(() => parseJobCreate({ ...body, job_type: "build", arch: "x86_64", build_env_size: 0 }));
    expect(e.kind).toBe("validation");
    expect(Object.entries(e.errors!)).toEqual([
      ["job_type", ["Job type must be one of: create, customize."]],
      ["build_env_size", ["build_env_size must be greater than or equal to 1"]],
      ["arch", ["Unknown field."]],
    ]);
  });

  test("defaults and coercion; require_dkms only present when sent", () => {
    const i = parseJobCreate({ ...body, enable_debug: "no", artifact_id: KEY.toUpperCase().replaceAll("-", "") });
    expect(i).toMatchObject({ enable_debug: false, initrd_file_name: "initrd", kernel_parameters_file_name: "kernel-parameters", artifact_id: KEY, ssh_containers: null });
    expect("require_dkms" in i).toBe(false);
    expect(parseJobCreate({ ...body, require_dkms: "false" }).require_dkms).toBe(false);
  });

  test("schema errors come before the container rules", () => {
    expect(error(() => parseJobCreate({ ...body, ssh_containers: [{ name: "a" }], bogus: 1 })).kind).toBe("validation");
  });
});

describe("ssh containers (jobs.md §2 step 3)", () => {
  test("create: none allowed from the user; debug gets one", () => {
    expect(error(() => resolveSshContainers("create", false, [{ name: "x", jail: false }])).kind).toBe("bad_request");
    expect(resolveSshContainers("create", false, undefined)).toBeNull();
    expect(resolveSshContainers("create", false, [])).toEqual([]);
    expect(resolveSshContainers("create", true, null)).toEqual([{ name: "debug", jail: false }]);
  });

  test("customize: a default container unless given; at most one", () => {
    for (const none of [undefined, null, []]) expect(resolveSshContainers("customize", false, none)).toEqual([{ name: "customize", jail: false }]);
    expect(resolveSshContainers("customize", false, [{ name: "mine", jail: true }])).toEqual([{ name: "mine", jail: true }]);
    const e = error(() => resolveSshContainers("customize", false, [{ name: "a", jail: false }, { name: "b", jail: false }]));
    expect(e.kind).toBe("bad_request");
  });
});
