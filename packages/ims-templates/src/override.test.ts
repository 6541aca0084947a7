/**
 * Operators may replace templates. Missing files fall back to the built-ins; a replacement
 * that writes a raw value, escapes its document or produces the wrong object is refused
 * as a "template" error, never rendered.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TemplateError, builtinTemplate, renderJobObjects, templateRelativePath } from "./index.ts";
import { JOB_ID, baseParams } from "./test-support.ts";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "ims-templates-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh operator dir holding one file for customize/<object>. */
function operatorDir(object: "configmap" | "service" | "job" | "pvc" | "destinationRule", text: string): string {
  const dir = mkdtempSync(join(root, "op-"));
  const file = join(dir, templateRelativePath("customize", object));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return dir;
}

function builtin(object: "service" | "configmap"): string {
  return builtinTemplate("customize", object);
}

function templateError(templateDir: string): TemplateError {
  try {
    renderJobObjects("customize", baseParams("customize"), { templateDir });
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    expect((e as TemplateError).kind).toBe("template");
    expect((e as TemplateError).file?.startsWith(templateDir)).toBe(true);
    return e as TemplateError;
  }
  throw new Error("expected a template TemplateError");
}

describe("operator template directory", () => {
  test("a replaced file is used, the others fall back to the built-ins", () => {
    const text = builtin("service").replace("  annotations:\n", "  labels:\n    team: {{q address_pool}}\n  annotations:\n");
    const dir = operatorDir("service", text);
    const o = renderJobObjects("customize", baseParams("customize"), { templateDir: dir });
    expect(o.service.metadata.labels).toEqual({ team: "customer-management" });
    expect(o.job.metadata.name).toBe(`cray-ims-${JOB_ID}-customize`);
    expect(o.configmap.data).toEqual({ public_key: baseParams("customize").public_key });
  });

  test("a directory without the files renders the built-ins", () => {
    const empty = mkdtempSync(join(root, "empty-"));
    const a = renderJobObjects("customize", baseParams("customize"), { templateDir: empty });
    expect(a).toEqual(renderJobObjects("customize", baseParams("customize")));
    const missing = renderJobObjects("customize", baseParams("customize"), { templateDir: join(root, "nope") });
    expect(missing).toEqual(a);
  });

  test("a raw (unquoted) value is refused before rendering", () => {
    const raw = builtin("configmap").replace("{{q public_key}}", "{{public_key}}");
    expect(templateError(operatorDir("configmap", raw)).message).toContain("quoting helper");
    const triple = builtin("configmap").replace("{{q public_key}}", "{{{public_key}}}");
    templateError(operatorDir("configmap", triple));
  });

  test("partials, unknown helpers, hash arguments and sub-expressions are refused", () => {
    for (const bad of ["{{> evil}}", "{{lookup . 'public_key'}}", "{{q public_key x=1}}", "{{q (q id)}}", "{{#each}}{{/each}}"]) {
      templateError(operatorDir("configmap", builtin("configmap") + `\n# ${bad}\n`));
    }
  });

  test("unparseable Handlebars and unknown fields", () => {
    templateError(operatorDir("configmap", builtin("configmap").replace("{{q public_key}}", "{{q public_key")));
    expect(templateError(operatorDir("configmap", builtin("configmap").replace("{{q public_key}}", "{{q no_such_field}}"))).message).toContain(
      "undefined",
    );
    templateError(operatorDir("configmap", builtin("configmap").replace("{{q public_key}}", "{{q images.nope.tag}}")));
    templateError(operatorDir("configmap", builtin("configmap").replace("{{q public_key}}", "{{gi public_key}}")));
  });

  test("extra documents, wrong kind, wrong name, wrong namespace, not YAML", () => {
    templateError(operatorDir("configmap", builtin("configmap") + "---\napiVersion: v1\nkind: Secret\n"));
    templateError(operatorDir("configmap", builtin("configmap").replace("kind: ConfigMap", "kind: Secret")));
    templateError(operatorDir("configmap", builtin("configmap").replace('"-configmap"', '"-cm"')));
    templateError(operatorDir("configmap", builtin("configmap").replace("{{q namespace}}", "default")));
    templateError(operatorDir("configmap", builtin("configmap") + "\n  bad: [unclosed\n"));
    templateError(operatorDir("configmap", "- just\n- a list\n"));
    templateError(operatorDir("pvc", ""));
  });
});
