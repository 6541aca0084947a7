/**
 * /docs in a real headless Chromium (Debian's chromium; scripts/test.sh installs it): the page
 * loads with no console error, fetches nothing from anywhere but this service, and shows every
 * operation of /openapi.json. The screenshot goes to var/docs.png (not in git).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { rig, type Rig } from "../test-support/app.ts";

const CHROMIUM = Bun.which("chromium") ?? "/usr/bin/chromium";
// Without the background-networking flags Chromium keeps trying to reach Google, which this network refuses.
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const VAR = new URL("../../../../var/", import.meta.url).pathname;

let r: Rig;
let server: ReturnType<typeof Bun.serve>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (scripts/test.sh does)`);
  r = await rig();
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (request) => r.app.handle(request) });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop(true);
  await r?.close();
});

test("/docs renders every operation of the OpenAPI document, offline, with no console error", async () => {
  const origin = `http://127.0.0.1:${server.port}`;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const elsewhere: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && problems.push(`console: ${m.text()}`)));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (q) => problems.push(`request failed: ${q.url()}`));
  page.on("request", (q) => void (!q.url().startsWith(origin) && !q.url().startsWith(`blob:${origin}`) && !q.url().startsWith("data:") && elsewhere.push(q.url())));

  const response = await page.goto(`${origin}/docs`, { waitUntil: "networkidle" });
  expect(response?.status()).toBe(200);
  const document = (await r.call("GET", "/openapi.json")).body;
  await page.getByText(document.info.title, { exact: false }).first().waitFor({ timeout: 30_000 });
  const summaries = new Set<string>();
  for (const item of Object.values(document.paths) as Record<string, { summary?: string }>[]) {
    for (const op of Object.values(item)) if (op.summary) summaries.add(op.summary);
  }
  expect(summaries.size).toBeGreaterThan(20);
  const text = await page.locator("body").innerText();
  expect([...summaries].filter((s) => !text.includes(s))).toEqual([]);

  mkdirSync(VAR, { recursive: true });
  await page.screenshot({ path: `${VAR}docs.png` });
  expect(problems).toEqual([]);
  expect(elsewhere).toEqual([]);
});
