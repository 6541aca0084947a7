/**
 * `cray ims` as craycli builds it from upstream's own document (Cray-HPE/ims v3.33.0
 * api/openapi.yaml, converted by craycli's utils/convert.sh): 45 commands, written down from a
 * run of craycli's generator (the copy craycli ships in cray/modules/ims/swagger3.json builds
 * the same tree). Options read "type", "type!" when required, "choice:a|b" with the choices in
 * upstream's order, "type=value" when the CLI sends that value for a left-out option. Every
 * positional argument is a required text.
 */
import type { CrayCommand, CrayOption } from "./cray-tree.ts";

const HIDDEN = true;

function cmd(args: string[], options: Record<string, string> = {}, hidden = false): CrayCommand {
  const opts = Object.entries(options).map(([name, spec]): CrayOption => {
    const [kind, value] = spec.split("=");
    const required = kind!.endsWith("!");
    const [type, choices] = kind!.replace(/!$/, "").split(":");
    return { name, type: type!, ...(choices ? { choices: choices.split("|") } : {}), required, ...(value ? { default: value } : {}) };
  });
  return { hidden, args: args.map((name) => ({ name, type: "text", required: true })), options: opts.sort((a, b) => a.name.localeCompare(b.name)) };
}

const ARCH = "choice:aarch64|x86_64";
const LINK = { "--link-etag": "text", "--link-path": "text", "--link-type": "text" };
const JOB_STATUSES = "creating|fetching_image|fetching_recipe|waiting_for_repos|building_image|waiting_on_user|error|success";
const UNDELETE = { "--operation": "choice:undelete" };

export const UPSTREAM_CRAY_IMS: Record<string, CrayCommand> = {
  "deleted images delete": cmd(["DELETED_IMAGE_ID"]),
  "deleted images deleteall": cmd([]),
  "deleted images describe": cmd(["DELETED_IMAGE_ID"]),
  "deleted images list": cmd([]),
  "deleted images update": cmd(["DELETED_IMAGE_ID"], UNDELETE),
  "deleted public-keys delete": cmd(["DELETED_PUBLIC_KEY_ID"]),
  "deleted public-keys deleteall": cmd([]),
  "deleted public-keys describe": cmd(["DELETED_PUBLIC_KEY_ID"]),
  "deleted public-keys list": cmd([]),
  "deleted public-keys update": cmd(["DELETED_PUBLIC_KEY_ID"], UNDELETE),
  "deleted recipes delete": cmd(["RECIPE_ID"]),
  "deleted recipes deleteall": cmd([]),
  "deleted recipes describe": cmd(["RECIPE_ID"]),
  "deleted recipes list": cmd([]),
  "deleted recipes update": cmd(["RECIPE_ID"], UNDELETE),
  "images create": cmd([], { "--arch": ARCH, ...LINK, "--metadata-key": "text", "--metadata-value": "text", "--name": "text!" }),
  "images delete": cmd(["IMAGE_ID"]),
  "images deleteall": cmd([]),
  "images describe": cmd(["IMAGE_ID"]),
  "images list": cmd([]),
  "images update": cmd(["IMAGE_ID"], {
    "--arch": ARCH, ...LINK, "--metadata-key": "text", "--metadata-operation": "choice:set|remove", "--metadata-value": "text",
  }),
  "jobs create": cmd([], {
    "--artifact-id": "text!", "--build-env-size": "integer", "--enable-debug": "boolean", "--image-root-archive-name": "text!",
    "--initrd-file-name": "text=initrd", "--job-type": "choice:create|customize!", "--kernel-file-name": "text",
    "--kernel-parameters-file-name": "text=kernel-parameters", "--public-key-id": "text!", "--require-dkms": "boolean",
    "--ssh-containers-jail": "text", "--ssh-containers-name": "text",
  }),
  "jobs delete": cmd(["JOB_ID"]),
  "jobs deleteall": cmd([], { "--age": "text", "--job-type": "choice:create|customize", "--status": `choice:${JOB_STATUSES}` }),
  "jobs describe": cmd(["JOB_ID"]),
  "jobs list": cmd([]),
  "public-keys create": cmd([], { "--name": "text!", "--public-key": "text!" }),
  "public-keys delete": cmd(["PUBLIC_KEY_ID"]),
  "public-keys deleteall": cmd([]),
  "public-keys describe": cmd(["PUBLIC_KEY_ID"]),
  "public-keys list": cmd([]),
  "recipes create": cmd([], {
    "--arch": ARCH, ...LINK, "--linux-distribution": "choice:sles12|sles15|centos7!", "--name": "text!",
    "--recipe-type": "choice:kiwi-ng|packer!", "--require-dkms": "boolean", "--template-dictionary-key": "text",
    "--template-dictionary-value": "text",
  }),
  "recipes delete": cmd(["RECIPE_ID"]),
  "recipes deleteall": cmd([]),
  "recipes describe": cmd(["RECIPE_ID"]),
  "recipes list": cmd([]),
  "recipes update": cmd(["RECIPE_ID"], {
    "--arch": ARCH, ...LINK, "--require-dkms": "boolean", "--template-dictionary-key": "text", "--template-dictionary-value": "text",
  }),
  "remote-build-nodes create": cmd([], { "--xname": "text!" }),
  "remote-build-nodes delete": cmd(["REMOTE_BUILD_NODE_XNAME"]),
  "remote-build-nodes deleteall": cmd([]),
  "remote-build-nodes describe": cmd(["REMOTE_BUILD_NODE_XNAME"]),
  "remote-build-nodes list": cmd([]),
  "remote-build-nodes status describe": cmd(["REMOTE_BUILD_NODE_XNAME"]),
  "remote-build-nodes status list": cmd([]),
  "version list": cmd([], {}, HIDDEN),
};

/** Upstream's groups: all shown but `version` (its one command is hidden). */
export const UPSTREAM_CRAY_IMS_GROUPS: Record<string, boolean> = {
  deleted: false, "deleted images": false, "deleted public-keys": false, "deleted recipes": false, images: false,
  jobs: false, "public-keys": false, recipes: false, "remote-build-nodes": false, "remote-build-nodes status": false, version: true,
};

/** Where `cray ims` sends requests: upstream's api-gw server URL's path. */
export const UPSTREAM_CRAY_IMS_BASE_PATH = "/apis/ims";
