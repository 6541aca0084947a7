/**
 * scripts/ensure-bun.sh decides whether to install Bun. The real npm is not run (it would
 * reinstall the machine's bun, the very thing the script avoids): `bun` and `npm` are small
 * stand-ins on PATH that record how they were called; node is the real one.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const WANT = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.bun as string;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the script with a PATH holding stand-ins: bun reports `version` (none: no bun), npm "installs". */
async function ensure(version: string | undefined) {
  const bin = mkdtempSync(join(tmpdir(), "ims-ensure-bun-"));
  dirs.push(bin);
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  if (version) stub("bun", `echo ${version}`);
  // "Installs": afterwards bun reports the wanted version.
  stub("npm", `echo "$@" >> "${bin}/npm-calls"\n[ "$1" = install ] && { printf '#!/bin/sh\\necho ${WANT}\\n' > "${bin}/bun"; chmod +x "${bin}/bun"; }\nexit 0`);
  // Only these on PATH (the machine's own bun lives beside them in /usr/bin).
  for (const tool of ["node", "dirname", "cat", "chmod"]) symlinkSync(Bun.which(tool)!, join(bin, tool));
  const proc = Bun.spawn(["/bin/sh", join(ROOT, "scripts/ensure-bun.sh")], {
    env: { PATH: bin, HOME: bin },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  const calls = existsSync(join(bin, "npm-calls")) ? readFileSync(join(bin, "npm-calls"), "utf8").trim().split("\n") : [];
  return { code, stderr, calls };
}

describe("ensure-bun.sh", () => {
  test("the pinned version already there: npm is not run", async () => {
    expect(await ensure(WANT)).toEqual({ code: 0, stderr: "", calls: [] });
  });

  test("another version: installs the pinned one with npm", async () => {
    const r = await ensure("1.0.0");
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([`install -g bun@${WANT}`]);
    expect(r.stderr).toContain(`bun 1.0.0; installing bun@${WANT}`);
  });

  test("no bun at all: installs it", async () => {
    const r = await ensure(undefined);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([`install -g bun@${WANT}`]);
  });
});
