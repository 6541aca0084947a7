import { describe, expect, test } from "bun:test";
import { userCwd } from "./user-cwd.ts";

describe("userCwd: where the user typed the command", () => {
  test("npm, pnpm and yarn: INIT_CWD", () => {
    expect(userCwd({ INIT_CWD: "/repo/sub" }, "/repo")).toBe("/repo/sub");
  });

  test("bun run: npm_config_local_prefix, only inside a bun run script", () => {
    const bunRun = { npm_lifecycle_event: "ims", npm_config_user_agent: "bun/1.4.5 npm/? node/v26 linux x64", npm_config_local_prefix: "/repo/sub" };
    expect(userCwd(bunRun, "/repo")).toBe("/repo/sub");
    expect(userCwd({ ...bunRun, npm_lifecycle_event: undefined }, "/repo")).toBe("/repo");
    expect(userCwd({ ...bunRun, npm_config_user_agent: "npm/10" }, "/repo")).toBe("/repo");
  });

  test("run directly: the process's directory", () => {
    expect(userCwd({}, "/somewhere")).toBe("/somewhere");
  });
});
