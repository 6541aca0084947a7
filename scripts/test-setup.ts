/**
 * Preloaded by `bun test` (bunfig.toml). Bun 1.4.5 ignores `[test] timeout` in bunfig, and
 * setDefaultTimeout here reaches the first test file only: scripts/test.sh passes --timeout for
 * the whole run; this keeps a single file run by hand (`bun test FILE`) on the same limit.
 */
import { setDefaultTimeout } from "bun:test";

setDefaultTimeout(60_000);
