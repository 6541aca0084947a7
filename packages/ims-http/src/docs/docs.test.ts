/** /docs is an HTML page that loads Redoc from this service (no CDN) and reads our /openapi.json. */
import { afterEach, expect, test } from "bun:test";
import { rig, type Rig } from "../test-support/app.ts";

let r: Rig | undefined;
afterEach(() => r?.close());

test("GET /docs is a page whose script and document are relative links to this service", async () => {
  r = await rig();
  const page = await r.call("GET", "/docs");
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
  const srcs = [...page.text.matchAll(/(?:src|href|spec-url)="([^"]*)"/g)].map((m) => m[1]);
  expect(srcs).toEqual(["data:,", "openapi.json", "docs/redoc.standalone.js"]);
  expect(page.text).not.toMatch(/https?:\/\//);
});

test("the Redoc bundle comes from the installed package", async () => {
  r = await rig();
  const bundle = await r.call("GET", "/docs/redoc.standalone.js");
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
  expect(bundle.text.length).toBeGreaterThan(500_000);
  expect(bundle.text).toContain("Redoc");
  expect(bundle.text).not.toContain("cdn.redoc.ly"); // its logo would be fetched from there
  expect((await r.call("POST", "/docs")).status).toBe(405);
});
