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

/** The bundle (1 MB) is read from disk per request: Bun sends a file without copying it through JS. */
export const docsBundle = () =>
  new Response(Bun.file(REDOC_BUNDLE_PATH), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
  });
