#!/usr/bin/env bash
# Runs every test suite. Starts what the suites need first: PostgreSQL (scripts/ensure-postgres.sh),
# Chromium for the /docs test (scripts/ensure-chromium.sh); the S3 and Kubernetes test servers are
# started by the suites themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
if [ -z "${IMS_TEST_POSTGRES_URL:-}" ]; then
  IMS_TEST_POSTGRES_URL="$(bash scripts/ensure-postgres.sh | tail -n 1)"
  export IMS_TEST_POSTGRES_URL
fi
echo "PostgreSQL for tests: $IMS_TEST_POSTGRES_URL"
bash scripts/ensure-chromium.sh
# Explicit roots: ./var (databases, profiling copies) must never contribute tests.
if [ "$#" -eq 0 ]; then set -- ./packages ./examples ./scripts; fi
# --timeout: a preload's setDefaultTimeout applies to the first test file only (Bun 1.4.5).
exec bun test --timeout 60000 "$@"
