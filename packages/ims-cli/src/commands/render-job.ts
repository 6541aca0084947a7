/**
 * render-job FILE: the dry run of a job creation from the command line (POST /v3/jobs?dry_run=true
 * without a service): the same checks against the configured store and artifacts, the configured
 * templates (IMS_JOB_TEMPLATE_PATH), the Kubernetes schema check. Writes nothing, calls no cluster.
 */
import { createIms, isImsError } from "@ims/core";
import { openSshProbe } from "@ims/core/ssh-probe";
import { createJobRenderer } from "@ims/templates";
import type { Command } from "./command.ts";
import { readWhole } from "./files.ts";
import { coreConfigOf, openArtifacts, openRecords } from "../process/open.ts";

export const renderJobCommand: Command = {
  spec: { command: "render-job", positionals: ["FILE"], flags: { yaml: {} } },
  summary: "show the job and Kubernetes objects a job creation would make (dry run)",
  help: `Usage: bun run ims render-job FILE [--yaml]

Does what POST /v3/jobs?dry_run=true does, without a running service. FILE (- for stdin)
holds the body of a job creation, e.g.
  {"job_type": "create", "artifact_id": "<recipe id>", "public_key_id": "<key id>",
   "image_root_archive_name": "my-image"}
It is checked as a creation checks it (the recipe or image, its artifact and the public key
are looked up in the configured store and artifact store), rendered with the configured
templates (IMS_JOB_TEMPLATE_PATH overrides the built-in ones) and the objects are checked
against the Kubernetes schemas. Prints {"job": ..., "objects": [...], "warnings": [...]} as
JSON: the record a creation would write and its objects in creation order. Fields Kubernetes
would drop are also printed on stderr as warnings. Nothing is written, no remote build node
is reserved and no cluster is called. A refused job or an object Kubernetes would refuse is
an error (exit 1) that names what is wrong.

Options:
  --yaml      print only the objects, as a YAML stream (for kubectl apply --dry-run=server -f -)
  -h, --help  show this help

Environment: DATABASE_URL (default sqlite:./var/ims.sqlite); S3_* or IMS_ARTIFACTS_DIR;
IMS_JOB_TEMPLATE_PATH and the job variables (DEFAULT_IMS_JOB_NAMESPACE, JOB_*, IMS_JOB_IMAGE_*,
...); IMS_REMOTE_KEY_FILE for probing remote build nodes.`,

  async run(args, io) {
    const config = io.config();
    const text = await readWhole(args.positionals[0]!, io.cwd);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new Error(`${args.positionals[0]} is not JSON: ${(e as Error).message}`);
    }
    const store = await openRecords(config, "read");
    const opened = await openArtifacts(config);
    try {
      const ims = createIms({
        store,
        artifacts: opened.artifacts,
        config: coreConfigOf(config),
        probe: openSshProbe(config.remoteNodes),
        renderer: createJobRenderer({ templateDir: config.jobs.templateDir }),
        jobs: config.jobs,
      });
      const result = await ims.jobs.dryRun(body).catch((e) => {
        // The field errors say what is wrong; main prints only the message.
        if (isImsError(e) && e.errors) throw new Error(`${e.detail} ${JSON.stringify(e.errors)}`);
        throw e;
      });
      for (const w of result.warnings) io.err(`warning: ${w}`);
      if (args.flags.yaml) io.out(result.objects.map((o) => `---\n${Bun.YAML.stringify(o, null, 2)}\n`).join(""));
      else io.out(JSON.stringify(result, null, 2) + "\n");
    } finally {
      opened.close();
      await store.close();
    }
  },
};
