import { expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImsError } from "@ims/core";
import { createJobRenderer } from "./job-renderer.ts";
import { baseParams, JOB_ID, KINDS } from "./test-support.ts";

test("objects come in creation order for every kind", () => {
  const renderer = createJobRenderer();
  for (const kind of KINDS) {
    const objects = renderer.render(kind, baseParams(kind));
    expect(objects.map((o) => o.kind)).toEqual(["ConfigMap", "Service", "Job", "PersistentVolumeClaim", "DestinationRule"]);
    expect(objects.every((o) => o.metadata.namespace === "ims" && o.metadata.name.includes(JOB_ID))).toBe(true);
  }
});

const thrown = (fn: () => unknown): ImsError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImsError);
    return e as ImsError;
  }
  throw new Error("expected an error");
};

test("bad input becomes a 400 ImsError", () => {
  const e = thrown(() => createJobRenderer().render("customize", baseParams("customize", { public_key: "key\uD800" })));
  expect(e.kind).toBe("bad_request");
  expect(e.detail).toContain("public_key");
});

test("a broken operator template becomes a 500 ImsError", () => {
  const dir = mkdtempSync(join(tmpdir(), "ims-tpl-"));
  try {
    mkdirSync(join(dir, "customize"), { recursive: true });
    writeFileSync(join(dir, "customize", "service.yaml.hbs"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: wrong\n");
    const e = thrown(() => createJobRenderer({ templateDir: dir }).render("customize", baseParams("customize")));
    expect(e.kind).toBe("internal");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
