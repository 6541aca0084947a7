/**
 * How remote build nodes are probed (remote-build-nodes.md §3-4): the SSH private key and the
 * ssh client to run. Remote builds are optional, so a missing key is not a config error (every
 * node then reads as unreachable); a named ssh program that is not there is one.
 */
import { accessSync, constants, statSync } from "node:fs";
import { resolve } from "node:path";
import type { EnvReader } from "./env-reader.ts";

export interface RemoteNodeSettings {
  /** IMS_REMOTE_KEY_FILE: absolute; upstream keeps id_ecdsa in its working directory. */
  keyFile: string;
  /** IMS_REMOTE_SSH_PATH: a bare name is looked up on PATH when run; a path is made absolute. */
  sshPath: string;
}

export function readRemoteNodeSettings(r: EnvReader): Readonly<RemoteNodeSettings> {
  const keyFile = r.path("IMS_REMOTE_KEY_FILE");
  const raw = r.text("IMS_REMOTE_SSH_PATH");
  const sshPath = raw.includes("/") ? resolve(r.cwd, raw) : raw;
  if (raw.includes("/") && !isExecutableFile(sshPath)) {
    r.problem(`IMS_REMOTE_SSH_PATH must name an executable file, got ${JSON.stringify(raw)}`);
  }
  return Object.freeze({ keyFile, sshPath });
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
