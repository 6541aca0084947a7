import { afterAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSshProbe } from "./index.ts";
import { writeFakeSsh } from "./test-fake-ssh.ts";

const dir = await mkdtemp(join(tmpdir(), "ims-ssh-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
const keyFile = join(dir, "id_ecdsa");
await Bun.spawn(["ssh-keygen", "-q", "-t", "ecdsa", "-b", "384", "-N", "", "-f", keyFile]).exited;

const fakeSsh = (uname: string, podman: boolean, jobs: number) => writeFakeSsh(dir, { uname, podman, jobs });

test("a reachable aarch64 node with podman and two IMS jobs can run jobs", async () => {
  const probe = openSshProbe({ keyFile, sshPath: await fakeSsh("aarch64", true, 2) });
  expect(await probe.probe("x3000c0s1b0n0")).toEqual({
    xname: "x3000c0s1b0n0",
    sshStatus: "SSH connection established.",
    podmanStatus: "Podman present at /usr/bin/podman",
    nodeArch: "aarch64",
    numCurrentJobs: 2,
    ableToRunJobs: true,
  });
});

test("a node without podman cannot run jobs; the status says so in upstream's (invoke's) words", async () => {
  const probe = openSshProbe({ keyFile, sshPath: await fakeSsh("x86_64", false, 0) });
  expect(await probe.probe("n1")).toMatchObject({
    nodeArch: "x86_64",
    podmanStatus:
      "Unable determine if tools are installed on node. Error: Encountered a bad command exit code!\n\nCommand: 'which podman'\n\nExit code: 1\n\nStdout:\n\n\n\nStderr:\n\n\n\n",
    ableToRunJobs: false,
    numCurrentJobs: -1,
  });
});

test("the real ssh client against a closed port reports the connection error", async () => {
  const probe = openSshProbe({ keyFile, port: 1, connectTimeoutSeconds: 2 });
  const status = await probe.probe("127.0.0.1");
  expect(status.sshStatus).toStartWith("Unable to connect to node. Error: ");
  expect(status.sshStatus).toContain("refused");
  expect(status).toMatchObject({ ableToRunJobs: false, nodeArch: "Unknown", numCurrentJobs: -1 });
});

test("an ssh program that cannot be started reports the node unreachable instead of failing", async () => {
  const probe = openSshProbe({ keyFile, sshPath: join(dir, "no-such-ssh") });
  const status = await probe.probe("n1");
  expect(status.sshStatus).toStartWith("Unable to connect to node. Error: ");
  expect(status.sshStatus).toContain("no-such-ssh");
  expect(status).toMatchObject({ ableToRunJobs: false, numCurrentJobs: -1 });
});

test("without a key file every node is reported unreachable", async () => {
  const probe = openSshProbe({ keyFile: join(dir, "missing") });
  expect((await probe.probe("n1")).sshStatus).toContain("no remote build node SSH key");
});
