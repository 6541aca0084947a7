/**
 * NodeProbe over the system `ssh` client: one connection per probe runs the three checks of
 * remote-build-nodes.md §3 (uname -i, which podman, count of /tmp/ims_* entries) and reports
 * each command's exit code and output, which statusFrom() turns into the status object.
 */
import { existsSync } from "node:fs";
import { noKeyProbe, statusFrom, type NodeProbe } from "../../src/remote-nodes/probe.ts";

export interface SshProbeOptions {
  /** Private key file (upstream: id_ecdsa in the working directory). */
  keyFile: string;
  user?: string;
  port?: number;
  connectTimeoutSeconds?: number;
  /** The ssh executable; tests may point it elsewhere. */
  sshPath?: string;
}

const MARK = "__IMS_PROBE__";
// Each check prints a marker line with its exit code, then its output.
const SCRIPT = [
  `o=$(uname -i 2>&1); echo "${MARK} uname $?"; echo "$o"`,
  `o=$(which podman 2>&1); echo "${MARK} which $?"; echo "$o"`,
  `o=$(ls -d1 /tmp/* 2>/dev/null | grep /tmp/ims_ | wc -l); echo "${MARK} jobs $?"; echo "$o"`,
].join("; ");

type Result = { code: number; out: string };

export function parseProbeOutput(stdout: string): Record<string, Result> {
  const results: Record<string, Result> = {};
  let current: Result | undefined;
  for (const line of stdout.split("\n")) {
    const m = line.startsWith(MARK) ? /^\S+ (\w+) (\d+)$/.exec(line) : null;
    if (m) results[m[1]!] = current = { code: Number(m[2]), out: "" };
    else if (current) current.out += (current.out ? "\n" : "") + line;
  }
  return results;
}

export function openSshProbe(o: SshProbeOptions): NodeProbe {
  return {
    async probe(xname) {
      if (!existsSync(o.keyFile)) return noKeyProbe.probe(xname);
      const args = [
        "-i", o.keyFile,
        "-p", String(o.port ?? 22),
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", `ConnectTimeout=${o.connectTimeoutSeconds ?? 10}`,
        "-l", o.user ?? "root",
        "--", xname, SCRIPT,
      ];
      const ssh = o.sshPath ?? "ssh";
      let proc;
      try {
        proc = Bun.spawn([ssh, ...args], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
      } catch (e) {
        // A missing or unrunnable client is this node's status, not a failed request.
        return statusFrom(xname, { connected: false, connectError: `cannot run ${ssh}: ${(e as Error).message}` });
      }
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      // ssh itself exits 255 when it cannot connect or authenticate.
      if (code === 255) return statusFrom(xname, { connected: false, connectError: stderr.trim().split("\n").pop() || "ssh failed" });
      const r = parseProbeOutput(stdout);
      return statusFrom(xname, { connected: true, uname: r.uname, which: r.which, jobs: r.jobs });
    },
  };
}
