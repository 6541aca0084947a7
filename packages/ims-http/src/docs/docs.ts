/**
 * GET /docs: an HTML reference of /openapi.json rendered by Redoc, served from the installed
 * package (no CDN, so it reads offline). Links are relative, so the page works behind a gateway
 * prefix (/apis/ims/docs reads /apis/ims/openapi.json).
 */
import { REDOC_BUNDLE_PATH } from "./redoc-bundle.ts";

export const DOCS_PATH = "/docs";
export const DOCS_BUNDLE_PATH = "/docs/redoc.standalone.js";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>IMS API reference</title>
<link rel="icon" href="data:,">
<style>body { margin: 0; }</style>
</head>
<body>
<redoc spec-url="openapi.json" hide-hostname="true"></redoc>
<script src="docs/redoc.standalone.js"></script>
</body>
</html>
`;

export const docsPage = () => new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });

/**
 * Redoc's sidebar shows a logo it fetches from Redocly's CDN: offline that is a failed request
 * and a console error, so the served bundle points it at an empty inline image instead. Read
 * once, on first use (1 MB).
 */
const CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg";
const EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";
let bundle: Promise<string> | undefined;
const bundleText = () => (bundle ??= Bun.file(REDOC_BUNDLE_PATH).text().then((js) => js.replaceAll(CDN_LOGO, EMPTY_SVG)));

export const docsBundle = async () =>
  new Response(await bundleText(), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
  });
