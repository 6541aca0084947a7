/**
 * @ims/cli public API: the process around the library. The one configuration (read from an
 * environment), the `ims` command line as a function, and the service itself.
 */
export { loadConfig, ConfigError, VARIABLES, type Config, type Variable, type Section } from "./config/index.ts";
export { main, processIo } from "./main.ts";
export type { Io, Command } from "./commands/command.ts";
export { serve } from "./process/serve.ts";
export { createLogger, type LogLevel, type LoggerOptions } from "./process/log.ts";
export { resolveVersion } from "./process/version.ts";
