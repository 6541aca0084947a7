/**
 * Where Redoc's standalone bundle is: imported as a file so `bun build --compile` embeds it
 * (the path is then inside the executable) and nothing is read until /docs is first asked for.
 */
// @ts-expect-error: a JavaScript file imported as a file; TypeScript types it as the module, Bun gives its path.
import bundle from "redoc/bundles/redoc.standalone.js" with { type: "file" };

export const REDOC_BUNDLE_PATH: string = bundle;
