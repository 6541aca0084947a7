import { describe, expect, test } from "bun:test";
import { validateBody } from "./validate.ts";
import { ImsError } from "./errors.ts";
import { VALIDATION_FAILED } from "./texts.ts";
import { JobCreate, PublicKeyCreate, RecipeCreate, ImageCreate } from "./schemas.ts";

const errorsOf = (schema: Parameters<typeof validateBody>[0], body: unknown) => {
  try {
    validateBody(schema, body);
  } catch (e) {
    return { kind: (e as ImsError).kind, errors: (e as ImsError).errors, detail: (e as ImsError).detail };
  }
  throw new Error("expected a validation failure");
};

describe("validateBody", () => {
  test("any falsy body is missing input (400)", () => {
    for (const body of [undefined, null, {}, [], "", 0, false]) expect(errorsOf(PublicKeyCreate, body).kind).toBe("missing_input");
  });

  test("unknown, missing and empty fields are 422 with marshmallow messages", () => {
    const r = errorsOf(PublicKeyCreate, { name: "", id: "x" });
    expect(r.kind).toBe("validation");
    // Declared fields in schema order, then the unknown ones; upstream's own sentence as detail.
    expect(Object.entries(r.errors!)).toEqual([
      ["name", ["name field must not be blank"]],
      ["public_key", ["Missing data for required field."]],
      ["id", ["Unknown field."]],
    ]);
    expect(r.detail).toBe(VALIDATION_FAILED);
  });

  test("a body that is not an object is an invalid input type", () => {
    expect(errorsOf(PublicKeyCreate, ["a"]).errors).toEqual({ _schema: ["Invalid input type."] });
    expect(errorsOf(PublicKeyCreate, "text").errors).toEqual({ _schema: ["Invalid input type."] });
  });

  test("enums, nulls and types", () => {
    const r = errorsOf(RecipeCreate, { name: 5, recipe_type: "docker", linux_distribution: null, arch: "ppc" });
    expect(r.errors).toEqual({
      name: ["Not a valid string."],
      recipe_type: ["Recipe type must be one of: kiwi-ng, packer."],
      linux_distribution: ["Field may not be null."],
      arch: ["Must be one of: aarch64, x86_64."],
    });
    expect(errorsOf(RecipeCreate, { name: "r", recipe_type: 1, linux_distribution: "ubuntu" }).errors).toEqual({
      recipe_type: ["Not a valid string."],
      linux_distribution: ["Recipe type must be one of: sles12, sles15, centos7."],
    });
  });

  test("defaults apply and booleans/integers coerce as marshmallow does", () => {
    const v = validateBody<Record<string, unknown>>(RecipeCreate, {
      name: "r",
      recipe_type: "kiwi-ng",
      linux_distribution: "sles15",
      require_dkms: "No",
    });
    expect(v).toEqual({ name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: null, require_dkms: false, arch: "x86_64" });
    const job = validateBody<Record<string, unknown>>(JobCreate, {
      job_type: "create",
      artifact_id: "{A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5}",
      public_key_id: "urn:uuid:a0b1c2d3-e4f5-a6b7-c8d9-e0f1a2b3c4d5",
      image_root_archive_name: "x",
      build_env_size: "12",
      enable_debug: 1,
    });
    expect(job.artifact_id).toBe("a0b1c2d3-e4f5-a6b7-c8d9-e0f1a2b3c4d5");
    expect(job.public_key_id).toBe("a0b1c2d3-e4f5-a6b7-c8d9-e0f1a2b3c4d5");
    expect(job.build_env_size).toBe(12);
    expect(job.enable_debug).toBe(true);
    expect(errorsOf(JobCreate, { job_type: "create", artifact_id: "nope", public_key_id: "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", image_root_archive_name: "x", build_env_size: 0, enable_debug: "maybe" }).errors).toEqual({
      artifact_id: ["Not a valid UUID."],
      enable_debug: ["Not a valid boolean."],
      build_env_size: ["build_env_size must be greater than or equal to 1"],
    });
  });

  test("nested errors are keyed by field and list index", () => {
    const r = errorsOf(RecipeCreate, {
      name: "r",
      recipe_type: "packer",
      linux_distribution: "sles15",
      link: { path: "", type: "http", extra: 1 },
      template_dictionary: [{ key: "a", value: "b" }, { key: 1 }],
    });
    expect(JSON.stringify(r.errors)).toBe(
      JSON.stringify({
        link: { path: ["name field must not be blank"], type: ["Type must be one of: s3."], extra: ["Unknown field."] },
        template_dictionary: { "1": { key: ["Not a valid string."], value: ["Missing data for required field."] } },
      }),
    );
  });

  test("a __proto__ metadata key stays a plain key and never reaches the prototype", () => {
    const body = JSON.parse('{"name":"i","metadata":{"__proto__":"x","a":"b"}}');
    const v = validateBody<{ metadata: Record<string, string> }>(ImageCreate, body);
    expect(Object.getPrototypeOf(v.metadata)).toBe(Object.prototype);
    expect(Object.keys(v.metadata)).toEqual(["__proto__", "a"]);
    expect(JSON.stringify(v.metadata)).toBe('{"__proto__":"x","a":"b"}');
  });

  test("values are read as marshmallow reads them", () => {
    const job = (extra: Record<string, unknown>) => ({
      job_type: "customize", artifact_id: "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", public_key_id: "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5",
      image_root_archive_name: "x", ...extra,
    });
    const read = (extra: Record<string, unknown>) => validateBody<Record<string, unknown>>(JobCreate, job(extra));
    // Integer: int(value) truncates a float and reads Python's integer text.
    expect(read({ build_env_size: 2.9 }).build_env_size).toBe(2);
    expect(read({ build_env_size: " 12 ", job_mem_size: "1_0" })).toMatchObject({ build_env_size: 12, job_mem_size: 10 });
    expect(read({ build_env_size: "\u0663" }).build_env_size).toBe(3);
    expect(errorsOf(JobCreate, job({ build_env_size: 0.5, job_mem_size: "2.5" })).errors).toEqual({
      build_env_size: ["build_env_size must be greater than or equal to 1"],
      job_mem_size: ["Not a valid integer."],
    });
    expect(errorsOf(JobCreate, job({ build_env_size: true, job_mem_size: 0 })).errors).toEqual({
      build_env_size: ["Not a valid integer."],
      job_mem_size: ["build_env_size must be greater than or equal to 1"], // sic, upstream's text
    });
    // Boolean: exactly marshmallow's words, so "tRuE" is not one.
    expect(read({ enable_debug: "Yes", require_dkms: 0 })).toMatchObject({ enable_debug: true, require_dkms: false });
    expect(errorsOf(JobCreate, job({ enable_debug: "tRuE", require_dkms: 2 })).errors).toEqual({
      enable_debug: ["Not a valid boolean."],
      require_dkms: ["Not a valid boolean."],
    });
    // UUID: anything that is not one, strings or not, is "Not a valid UUID."
    expect(errorsOf(JobCreate, job({ artifact_id: 5, public_key_id: null })).errors).toEqual({
      artifact_id: ["Not a valid UUID."],
      public_key_id: ["Field may not be null."],
    });
    // A container's name is optional upstream.
    expect(read({ ssh_containers: [{ jail: "t" }] }).ssh_containers).toEqual([{ jail: true }]);
  });

  test("metadata is a mapping of strings", () => {
    expect(errorsOf(ImageCreate, { name: "i", metadata: ["a"] }).errors).toEqual({ metadata: ["Not a valid mapping type."] });
    expect(errorsOf(ImageCreate, { name: "i", metadata: { a: 1, b: null } }).errors).toEqual({
      metadata: { a: { value: ["Not a valid string."] }, b: { value: ["Field may not be null."] } },
    });
  });
});
