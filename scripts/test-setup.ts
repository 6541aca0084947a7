/**
 * Preloaded by `bun test` (bunfig.toml). Bun 1.4.5 ignores `[test] timeout` in bunfig, and the
 * suites that start real servers (S3, PostgreSQL, the service itself) need more than 5 s.
 */
import { setDefaultTimeout } from "bun:test";

setDefaultTimeout(60_000);
