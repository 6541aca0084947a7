#!/usr/bin/env bash
# The /docs test drives a real headless Chromium (Debian's package). Installs it when absent;
# CI starts on a clean machine. Nothing here downloads a browser build of its own.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
echo "installing Debian's chromium for the /docs browser test" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
