/**
 * A stand-in `ssh` for tests (no sshd runs here): it runs the probe's script locally with fake
 * uname, which and ls first on PATH, so a node reports the given arch, podman and job count.
 * Test-only (not exported from the package).
 */
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface FakeNode {
  uname: string;
  podman: boolean;
  jobs: number;
}

/** Writes the fake tools into a new directory under `dir`; returns the fake ssh's path. */
export async function writeFakeSsh(dir: string, node: FakeNode): Promise<string> {
  const bin = await mkdtemp(join(dir, "bin-"));
  const script = (body: string) => `#!/bin/sh\n${body}\n`;
  await writeFile(join(bin, "uname"), script(`echo ${node.uname}`));
  await writeFile(join(bin, "which"), script(node.podman ? "echo /usr/bin/podman" : "exit 1"));
  const entries = Array.from({ length: node.jobs }, (_, i) => `echo /tmp/ims_${i}`);
  await writeFile(join(bin, "ls"), script([...entries, "echo /tmp/other"].join("\n")));
  // The real probe passes the script as the last argument; run it with the fake tools first on PATH.
  await writeFile(join(bin, "ssh"), script(`for a; do last="$a"; done; PATH="${bin}:$PATH" sh -c "$last"`));
  for (const f of ["uname", "which", "ls", "ssh"]) await chmod(join(bin, f), 0o755);
  return join(bin, "ssh");
}
