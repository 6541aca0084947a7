#!/usr/bin/env bash
# Makes sure a PostgreSQL server is reachable for the tests. Progress goes to stderr; the last
# line of stdout is the URL to use (IMS_TEST_POSTGRES_URL). Idempotent, and fast when running.
#
# Order: a server on 127.0.0.1:5432 -> our throwaway cluster if already up -> the Debian cluster
# (pg_ctlcluster) -> a new throwaway cluster under ./var/pg on port 55432 -> apt-get install.
#
# When ENSURE_POSTGRES_STARTED names a file and this run starts the throwaway cluster, the
# cluster's directory is written there; `ensure-postgres.sh --stop DIR` stops it again
# (scripts/test.sh does both, so a test run leaves no server of its own behind).
# IMS_PG_LOCAL_DIR, IMS_PG_LOCAL_PORT and IMS_PG_ONLY_LOCAL=1 (skip every other server) exist
# for the script's own test.
set -euo pipefail
cd "$(dirname "$0")/.."

LOCAL_PORT="${IMS_PG_LOCAL_PORT:-55432}"
LOCAL_DIR="${IMS_PG_LOCAL_DIR:-$PWD/var/pg}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
export PGCONNECT_TIMEOUT=5

log() { echo "ensure-postgres: $*" >&2; }

# A PostgreSQL program: the newest server install's copy, else the one on PATH.
tool() {
  if [ -n "$PGBIN" ] && [ -x "$PGBIN/$1" ]; then echo "$PGBIN/$1"; else command -v "$1" || true; fi
}

# initdb and the server refuse to run as root.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ready() { # port
  local isready; isready="$(tool pg_isready)"
  [ -n "$isready" ] && "$isready" -q -h 127.0.0.1 -p "$1"
}

# Connects as postgres without a password and creates database "test" if missing, then prints
# the URL and exits. Returns 1 when the server cannot be used that way (e.g. password auth).
use() { # port
  local psql; psql="$(tool psql)"
  [ -n "$psql" ] || { log "no psql to check the server on port $1"; return 1; }
  local q=("$psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  local exists
  exists="$("${q[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'test'" 2>&1)" || {
    log "server on port $1 answers but refuses user postgres without a password: $exists"
    return 1
  }
  [ "$exists" = 1 ] || "${q[@]}" -c "CREATE DATABASE test" >&2 || return 1
  echo "postgres://postgres@127.0.0.1:$1/test"
  exit 0
}

start_debian_cluster() {
  command -v pg_ctlcluster >/dev/null && command -v pg_lsclusters >/dev/null || return 1
  local version name port
  read -r version name port _ < <(pg_lsclusters -h | awk '$2 == "main"' | head -n 1) || return 1
  [ -n "${version:-}" ] || return 1
  log "starting the Debian cluster $version/$name (port $port)"
  pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start >&2 || true # "already running" is fine
  for _ in $(seq 50); do ready "$port" && break; sleep 0.1; done
  use "$port"
}

start_local_cluster() {
  [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || return 1
  if [ ! -s "$LOCAL_DIR/PG_VERSION" ]; then
    log "creating a throwaway cluster in $LOCAL_DIR"
    mkdir -p "$LOCAL_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$LOCAL_DIR"
    chmod 700 "$LOCAL_DIR"
    as_postgres "$PGBIN/initdb" -D "$LOCAL_DIR" -U postgres --auth=trust >&2
  fi
  log "starting the throwaway cluster on port $LOCAL_PORT"
  as_postgres "$PGBIN/pg_ctl" -D "$LOCAL_DIR" -l "$LOCAL_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $LOCAL_PORT -k $LOCAL_DIR" start >&2 ||
    { log "pg_ctl failed; see $LOCAL_DIR/server.log"; return 1; }
  if [ -n "${ENSURE_POSTGRES_STARTED:-}" ]; then echo "$LOCAL_DIR" > "$ENSURE_POSTGRES_STARTED"; fi
  use "$LOCAL_PORT"
}

# --stop DIR: stops the throwaway cluster in DIR (one this script started).
if [ "${1:-}" = "--stop" ]; then
  [ -n "${2:-}" ] && [ -s "$2/PG_VERSION" ] || { log "--stop needs the directory of a cluster"; exit 2; }
  log "stopping the throwaway cluster in $2"
  as_postgres "$PGBIN/pg_ctl" -D "$2" -m fast -w stop >&2
  exit 0
fi

if [ "${IMS_PG_ONLY_LOCAL:-}" != 1 ]; then
  ready 5432 && use 5432 || true
fi
ready "$LOCAL_PORT" && use "$LOCAL_PORT" || true
if [ "${IMS_PG_ONLY_LOCAL:-}" != 1 ]; then
  start_debian_cluster || true
fi
start_local_cluster || true

if [ "${IMS_PG_ONLY_LOCAL:-}" != 1 ] && [ "${1:-}" != "--installed" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "no PostgreSQL server found: installing the postgresql package"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
  exec "$0" --installed
fi

log "no PostgreSQL server is reachable and none could be started or installed."
log "Start one that accepts user postgres on 127.0.0.1 without a password, or install PostgreSQL"
log "(apt-get install postgresql, as root), then run this script again."
exit 1
