/**
 * The NodeProbe port: asks a remote build node whether it can run IMS jobs
 * (spec: remote-build-nodes.md §3). The SSH adapter is in ../../adapters/ssh-probe.
 */
import type { RemoteNodeStatus } from "../service-types.ts";

export interface NodeProbe {
  probe(xname: string): Promise<RemoteNodeStatus>;
}

export const initialStatus = (xname: string): RemoteNodeStatus => ({
  xname,
  sshStatus: "Unknown",
  podmanStatus: "Unknown",
  nodeArch: "Unknown",
  numCurrentJobs: -1,
  ableToRunJobs: false,
});

/** Used when no SSH key is configured: every node is reported unreachable, none is chosen. */
export const noKeyProbe: NodeProbe = {
  async probe(xname) {
    return { ...initialStatus(xname), sshStatus: "Unable to connect to node. Error: no remote build node SSH key is configured" };
  },
};

/**
 * How invoke prints a command that exited non-zero (UnexpectedExit, output hidden): upstream
 * puts it into the status. Our probe gets the command's output and errors as one stream.
 */
export function unexpectedExit(command: string, code: number, out: string): string {
  const tail = (s: string) => "\n\n" + s.split(/\r?\n/).filter((l, i, all) => i < all.length - 1 || l !== "").slice(-10).join("\n");
  return `Encountered a bad command exit code!\n\nCommand: '${command}'\n\nExit code: ${code}\n\nStdout:${tail(out)}\n\nStderr:${tail("")}\n\n`;
}

/** Turns the three command results into a status, with upstream's texts for each step. */
export function statusFrom(
  xname: string,
  r: { connected: boolean; connectError?: string; uname?: { code: number; out: string }; which?: { code: number; out: string }; jobs?: { code: number; out: string } },
): RemoteNodeStatus {
  const s = initialStatus(xname);
  if (!r.connected) return { ...s, sshStatus: `Unable to connect to node. Error: ${r.connectError ?? "unknown"}` };
  s.sshStatus = "SSH connection established.";
  const uname = r.uname ?? { code: -1, out: "" };
  if (uname.code !== 0) return { ...s, nodeArch: `Unable to determine architecture of node. Error: ${unexpectedExit("uname -i", uname.code, uname.out)}` };
  if (uname.out.includes("aarch64")) s.nodeArch = "aarch64";
  else if (uname.out.includes("x86")) s.nodeArch = "x86_64";
  else return { ...s, nodeArch: `Undefined architecture type for node, result: ${uname.out}\n` };
  const which = r.which ?? { code: -1, out: "" };
  if (which.code !== 0) {
    return { ...s, podmanStatus: `Unable determine if tools are installed on node. Error: ${unexpectedExit("which podman", which.code, which.out)}` };
  }
  if (!which.out.includes("/usr/bin/podman")) return { ...s, podmanStatus: "Podman not installed on node." };
  s.podmanStatus = "Podman present at /usr/bin/podman";
  s.ableToRunJobs = true;
  const n = r.jobs?.code === 0 ? Number.parseInt(r.jobs.out.trim(), 10) : NaN;
  if (Number.isInteger(n)) s.numCurrentJobs = n;
  return s;
}
