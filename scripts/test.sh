#!/usr/bin/env bash
# Runs every test suite. Starts what the suites need first: PostgreSQL (scripts/ensure-postgres.sh),
# the Ceph packages (scripts/rgw.sh install) and Chromium for the /docs test
# (scripts/ensure-chromium.sh); the S3 servers (s3rver, Ceph RGW) and the Kubernetes test server
# are started by the suites themselves.
#   scripts/test.sh [PATH...]   every suite, or those under PATH
#   scripts/test.sh --rgw       only the suites that run on Ceph RGW, and only their RGW half
# IMS_TEST_S3=s3rver|rgw limits the S3 suites to one server (default: both).
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
if [ "${1:-}" = "--rgw" ]; then
  shift
  export IMS_TEST_S3=rgw
  # The suites parameterised over the S3 servers are the ones that call s3Flavours().
  mapfile -t rgw_suites < <(grep -rlE --include='*.test.ts' 's3Flavours\(' packages | sort | sed 's|^|./|')
  set -- "${rgw_suites[@]}" "$@"
elif [ -z "${IMS_TEST_POSTGRES_URL:-}" ]; then
  IMS_TEST_POSTGRES_URL="$(ENSURE_POSTGRES_STARTED="$started" bash scripts/ensure-postgres.sh | tail -n 1)"
  export IMS_TEST_POSTGRES_URL
  echo "PostgreSQL for tests: $IMS_TEST_POSTGRES_URL"
fi
# Installed here, not inside a suite's start-up time limit. No Ceph, no test run: a failure here fails.
[ "${IMS_TEST_S3:-}" = s3rver ] || bash scripts/rgw.sh install
# The /docs page test needs a real browser (not in the RGW-only run).
[ "${IMS_TEST_S3:-}" = rgw ] || bash scripts/ensure-chromium.sh
# Explicit roots: ./var (databases, profiling copies) must never contribute tests.
if [ "$#" -eq 0 ]; then set -- ./packages ./examples ./scripts; fi
# --timeout: a preload's setDefaultTimeout applies to the first test file only (Bun 1.4.5).
bun test --timeout 60000 "$@"
