/**
 * How remote build nodes are probed (remote-build-nodes.md §3-4): the SSH private key and the
 * ssh client to run. Remote builds are optional, so a missing key is not a config error (every
 * node then reads as unreachable); a named ssh program that is not there is one.
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { resolve } from "node:path";

type Get = (name: string) => string | undefined;

export interface RemoteNodeSettings {
  /** IMS_REMOTE_KEY_FILE: absolute; upstream keeps id_ecdsa in its working directory. */
  keyFile: string;
  /** IMS_REMOTE_SSH_PATH: a bare name is looked up on PATH when run; a path is made absolute. */
  sshPath: string;
}

export function readRemoteNodeSettings(get: Get, problems: string[], cwd: string): Readonly<RemoteNodeSettings> {
  const keyFile = resolve(cwd, get("IMS_REMOTE_KEY_FILE") ?? "./id_ecdsa");
  const raw = get("IMS_REMOTE_SSH_PATH") ?? "ssh";
  const sshPath = raw.includes("/") ? resolve(cwd, raw) : raw;
  if (raw.includes("/") && !isExecutableFile(sshPath)) {
    problems.push(`IMS_REMOTE_SSH_PATH must name an executable file, got ${JSON.stringify(raw)}`);
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

/** What the start-up log says about remote node probes. */
export const describeRemoteNodes = (r: Readonly<RemoteNodeSettings>) => ({ key_file: r.keyFile, key_present: existsSync(r.keyFile), ssh: r.sshPath });
