#!/bin/sh
# Entry point of the locally made Bun base image, as the official one behaves: arguments that
# are not a command (e.g. "--version", "run", "x.ts") are run through bun.
set -e
if [ "${1#-}" != "$1" ] || ! command -v "$1" >/dev/null 2>&1; then
  set -- /usr/local/bin/bun "$@"
fi
exec "$@"
