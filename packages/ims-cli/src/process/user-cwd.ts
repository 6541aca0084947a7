/**
 * The directory the user ran the command in. `bun run` (like npm) starts a script in the
 * directory of the package.json that declares it, so process.cwd() is the checkout's root even
 * when the user typed `bun run ims import ../dump.json` in a subfolder; relative paths the user
 * gives (arguments, DATABASE_URL, ...) must be taken from where they typed them.
 */
import type { Env } from "../config/env-reader.ts";

export function userCwd(env: Env, processCwd: string = process.cwd()): string {
  // npm, pnpm and yarn set INIT_CWD; bun sets npm_config_local_prefix to the directory it was run in.
  if (env.INIT_CWD) return env.INIT_CWD;
  const byBun = env.npm_lifecycle_event !== undefined && env.npm_config_user_agent?.startsWith("bun/");
  if (byBun && env.npm_config_local_prefix) return env.npm_config_local_prefix;
  return processCwd;
}
