/** IMS_REMOTE_KEY_FILE and IMS_REMOTE_SSH_PATH: how remote build nodes are probed. */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "./index.ts";
import { describeRemoteNodes } from "./describe.ts";

const dir = mkdtempSync(join(tmpdir(), "ims-config-remote-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "wrapper"), "#!/bin/sh\nexec ssh \"$@\"\n");
chmodSync(join(dir, "wrapper"), 0o755);
writeFileSync(join(dir, "not-executable"), "");
mkdirSync(join(dir, "a-dir"));

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env, { cwd: dir });
  } catch (e) {
    return (e as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
};

describe("remote build node settings", () => {
  test("defaults: id_ecdsa in the working directory (as upstream), ssh from PATH", () => {
    const c = loadConfig({}, { cwd: dir });
    expect(c.remoteNodes).toEqual({ keyFile: join(dir, "id_ecdsa"), sshPath: "ssh" });
    expect(Object.isFrozen(c.remoteNodes)).toBe(true);
  });

  test("a key file need not exist (remote builds are optional); paths resolve against the working directory", () => {
    const c = loadConfig({ IMS_REMOTE_KEY_FILE: "keys/missing", IMS_REMOTE_SSH_PATH: "./wrapper" }, { cwd: dir });
    expect(c.remoteNodes).toEqual({ keyFile: join(dir, "keys/missing"), sshPath: join(dir, "wrapper") });
    expect(describeRemoteNodes(c.remoteNodes)).toEqual({ key_file: join(dir, "keys/missing"), key_present: false, ssh: join(dir, "wrapper") });
    expect(loadConfig({ IMS_REMOTE_KEY_FILE: "/etc/ims/key", IMS_REMOTE_SSH_PATH: "dbclient" }, { cwd: dir }).remoteNodes).toEqual({ keyFile: "/etc/ims/key", sshPath: "dbclient" });
  });

  test("empty values count as unset", () => {
    expect(loadConfig({ IMS_REMOTE_KEY_FILE: " ", IMS_REMOTE_SSH_PATH: "" }, { cwd: dir }).remoteNodes).toEqual({ keyFile: join(dir, "id_ecdsa"), sshPath: "ssh" });
  });

  test.each(["./missing", "./not-executable", "a-dir/", "./a-dir", join(dir, "missing")])("IMS_REMOTE_SSH_PATH %j that is no executable file is refused", (raw) => {
    const p = problems({ IMS_REMOTE_SSH_PATH: raw });
    expect(p).toEqual([`IMS_REMOTE_SSH_PATH must name an executable file, got ${JSON.stringify(raw)}`]);
  });
});
