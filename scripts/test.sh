#!/usr/bin/env bash
# Runs every test suite. Starts what the suites need first: PostgreSQL (scripts/ensure-postgres.sh);
# the S3 and Kubernetes test servers are started by the suites themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
# A throwaway PostgreSQL this run starts is stopped again when the run ends.
started="$(mktemp)"
stop_started() {
  if [ -s "$started" ]; then bash scripts/ensure-postgres.sh --stop "$(cat "$started")" || true; fi
  rm -f "$started"
}
trap stop_started EXIT
if [ -z "${IMS_TEST_POSTGRES_URL:-}" ]; then
  IMS_TEST_POSTGRES_URL="$(ENSURE_POSTGRES_STARTED="$started" bash scripts/ensure-postgres.sh | tail -n 1)"
  export IMS_TEST_POSTGRES_URL
fi
echo "PostgreSQL for tests: $IMS_TEST_POSTGRES_URL"
# Explicit roots: ./var (databases, profiling copies) must never contribute tests.
if [ "$#" -eq 0 ]; then set -- ./packages ./examples ./scripts; fi
# --timeout: a preload's setDefaultTimeout applies to the first test file only (Bun 1.4.5).
bun test --timeout 60000 "$@"
