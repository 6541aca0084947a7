/**
 * Entry compiled by compiled.test.ts: renders a customize and a create job with the built-in
 * templates (or those of the directory named by argv[2]) and prints what came out.
 */
import { renderJobObjects } from "./index.ts";
import { baseParams } from "./test-support.ts";

const templateDir = process.argv[2];
const out = (["customize", "create-kiwi-ng"] as const).map((kind) => {
  const o = renderJobObjects(kind, baseParams(kind), { templateDir });
  return { kind, job: o.job.metadata.name, service: o.service.metadata.name, labels: o.service.metadata.labels ?? null };
});
console.log(JSON.stringify(out));
