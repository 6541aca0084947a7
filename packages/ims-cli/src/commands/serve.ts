/** serve: the HTTP service (what `bun run start` runs). */
import type { Command } from "./command.ts";
import { serve } from "../process/serve.ts";

export const serveCommand: Command = {
  spec: { command: "serve", positionals: [], flags: {} },
  summary: "run the IMS HTTP service until SIGTERM or SIGINT",
  help: `Usage: bun run start [--version]
       bun run ims serve [--version]

Runs the Image Management Service: the HTTP API on HOST:PORT (default 0.0.0.0:9100), the
artifact worker and, with a Kubernetes cluster configured, the job watcher. On SIGTERM or
SIGINT it reports not-ready, stops accepting, lets in-flight requests finish, closes the
database and exits 0. Log lines (every level) are JSON on stdout; a start-up failure is
one line on stderr and exit status 1.

Options:
  --version   print the version and exit
  -h, --help  show this help

Environment: every variable of the README's configuration tables.`,
  async run(_args, io) {
    await serve(io.config());
  },
};
