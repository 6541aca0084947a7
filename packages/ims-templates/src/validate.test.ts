/** Unusable parameter values are refused before any template runs, naming the field. */
import { describe, expect, test } from "bun:test";
import { TemplateError, renderJobObjects, type JobKind, type JobTemplateParams } from "./index.ts";
import { baseParams } from "./test-support.ts";

function badInput(kind: JobKind, params: unknown): TemplateError {
  try {
    renderJobObjects(kind, params as JobTemplateParams);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    expect((e as TemplateError).kind).toBe("bad_input");
    return e as TemplateError;
  }
  throw new Error("expected a bad_input TemplateError");
}

const with_ = (kind: JobKind, patch: Record<string, unknown>) => ({ ...baseParams(kind), ...patch });

describe("bad_input", () => {
  test.each([
    ["public_key", 5],
    ["download_url", undefined],
    ["enable_debug", "True"],
    ["ssh_jail", 1],
    ["pvc_gb", "300Gi"],
    ["job_mem_size", 0],
    ["job_mem_limit", 2.5],
    ["remote_heartbeat_timeout_count", -1],
    ["job_arch", "ppc64le"],
    ["security_capabilities", "SYS_ADMIN"],
    ["id", "Not_A_Label"],
    ["namespace", "ims\nx: y"],
    ["log_level", 3],
  ])("%s = %p", (field, value) => {
    expect(badInput("customize", with_("customize", { [field]: value })).field).toBe(field);
  });

  test("a lone surrogate anywhere is refused, with the field named", () => {
    expect(badInput("customize", with_("customize", { public_key: "ssh-rsa \ud800" })).field).toBe("public_key");
    expect(badInput("customize", with_("customize", { kernel_filename: "\udc00x" })).field).toBe("kernel_filename");
    const dict = [{ key: "ok", value: "v" }, { key: "k\udfff", value: "v" }];
    expect(badInput("create-kiwi-ng", with_("create-kiwi-ng", { template_dictionary: dict })).field).toBe(
      "template_dictionary[1].key",
    );
    const images = { utils: { repository: "r\ud83d", tag: "t", pull_policy: "Always" } };
    expect(badInput("customize", with_("customize", { images })).field).toBe("images.utils.repository");
  });

  test("create jobs need a template_dictionary; recipe_type must fit the kind", () => {
    const { template_dictionary: _omit, ...rest } = baseParams("create-packer");
    expect(badInput("create-packer", rest).field).toBe("template_dictionary");
    expect(badInput("create-packer", with_("create-packer", { recipe_type: "kiwi-ng" })).field).toBe("recipe_type");
    expect(badInput("customize", with_("customize", { recipe_type: "packer" })).field).toBe("recipe_type");
  });

  test("malformed images and dictionary entries", () => {
    const bad = { sshd: { repository: "r", tag: "t", pull_policy: "Sometimes" } };
    expect(badInput("customize", with_("customize", { images: bad })).field).toBe("images.sshd.pull_policy");
    expect(badInput("create-kiwi-ng", with_("create-kiwi-ng", { template_dictionary: [{ key: "k" }] })).field).toBe(
      "template_dictionary[0].value",
    );
  });

  test("unknown kind and a non-object", () => {
    expect(badInput("create-foo" as JobKind, baseParams("customize")).field).toBe("kind");
    expect(badInput("customize", null).field).toBe("params");
  });
});
