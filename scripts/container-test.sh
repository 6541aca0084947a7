#!/usr/bin/env bash
# `bun run test:container`: builds the image from the Dockerfile (base images made locally when no
# registry answers, see scripts/container/base-images.sh), runs it on a loopback port with a named
# volume and checks what a user of upstream's image relies on:
#   ready on 9000 inside, a POST and a GET, /version = .version, a non-root uid as PID 1,
#   SIGTERM -> exit 0 after "stopped", the data surviving a new container on the same volume,
#   and a clear start-up error on a data directory the service may not write.
# Prints the image size, build time and start times. Every container and volume it made is
# removed on exit, also on failure. Needs root (rootful podman). Options:
#   --cold   build without the layer cache (the cold build time)
# Env: IMS_IMAGE (default localhost/cray-ims-service:dev), IMS_BUILD_CA_BUNDLE (a CA bundle for
# `bun install` behind a TLS-intercepting proxy; default NODE_EXTRA_CA_CERTS when set).
set -euo pipefail
source "$(dirname "$0")/container/podman-env.sh"
cd "$REPO_ROOT"

IMAGE="${IMS_IMAGE:-localhost/cray-ims-service:dev}"
RUN_ID="ims-ctest-$$"
COLD=""
for arg in "$@"; do
  case "$arg" in
    --cold) COLD=--no-cache ;;
    *) die "unknown option $arg (only --cold)" ;;
  esac
done

containers=()
volumes=()
scratch=""
cleanup() {
  local status=$?
  for c in ${containers[@]+"${containers[@]}"}; do podman rm -f -v -t 0 "$c" >/dev/null 2>&1 || true; done
  for v in ${volumes[@]+"${volumes[@]}"}; do podman volume rm -f "$v" >/dev/null 2>&1 || true; done
  [ -z "$scratch" ] || rm -rf "$scratch"
  [ "$status" -eq 0 ] || log "FAILED (containers and volumes removed)"
}
trap cleanup EXIT

passed=0
ok() { passed=$((passed + 1)); log "ok: $*"; }
fail() {
  log "FAIL: $*"
  for c in ${containers[@]+"${containers[@]}"}; do
    podman logs "$c" 2>&1 | tail -n 20 | sed "s/^/  [$c] /" >&2 || true
  done
  exit 1
}
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# ---- build -------------------------------------------------------------------------------------
ensure_tools
bash "$CONTAINER_DIR/base-images.sh"
secret=()
ca="${IMS_BUILD_CA_BUNDLE:-${NODE_EXTRA_CA_CERTS:-}}"
if [ -n "$ca" ] && [ -r "$ca" ]; then
  secret=(--secret "id=extra_ca,src=$ca")
  log "bun install in the build trusts $ca (an image built through an intercepting proxy must never be pushed)"
fi
log "building $IMAGE ${COLD:+(cold: no layer cache)}"
t0=$(date +%s%N)
podman build -q --pull=never $COLD ${secret[@]+"${secret[@]}"} -t "$IMAGE" -f Dockerfile . >/dev/null ||
  fail "podman build failed"
build_ms=$(ms_since "$t0")
size_bytes=$(podman image inspect "$IMAGE" --format '{{.Size}}')
version="$(head -n 1 .version | tr -d '[:space:]')"

# ---- helpers -------------------------------------------------------------------------------------
port=""
start() { # start NAME VOLUME: runs the image, sets $port and $start_ms, returns once /healthz/ready is 200
  local name="$1" volume="$2" t deadline tries=0
  containers+=("$name")
  t=$(date +%s%N)
  podman run -d --name "$name" -p 127.0.0.1::9000 -v "$volume:/var/ims/data" "$IMAGE" >/dev/null ||
    fail "podman run $name"
  port="$(podman port "$name" 9000/tcp | head -n 1)"
  port="${port##*:}"
  deadline=$((SECONDS + 30))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz/ready")" = 200 ]; do
    if [ $((++tries % 50)) -eq 0 ]; then
      [ "$(podman inspect "$name" --format '{{.State.Running}}')" = true ] || fail "$name exited before it was ready"
      [ "$SECONDS" -lt "$deadline" ] || fail "$name not ready within 30 s"
    fi
    sleep 0.01
  done
  start_ms=$(ms_since "$t")
  process_ms="$(service_start_ms "$name")"
}
# From the container's start (podman's StartedAt) to the service's "ready" log line.
service_start_ms() {
  { podman inspect "$1" --format '{{.State.StartedAt}}'; podman logs "$1" 2>/dev/null | grep -m 1 '"msg":"ready"'; } |
    bun -e 'const [started, ready] = (await Bun.stdin.text()).trim().split("\n");
      const t0 = Date.parse(started.replace(/\.(\d{3})\d*/, ".$1").replace(/ ([+-]\d\d)(\d\d) \w+$/, "$1:$2"));
      console.log(Date.parse(JSON.parse(ready).time) - t0)'
}
api() { curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' "$@"; }
status_of() { tail -n 1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }
json_field() { bun -e 'const v = JSON.parse(await Bun.stdin.text()); console.log(process.argv[1].split(".").reduce((o, k) => o?.[k], v) ?? "")' "$1"; }

# ---- first container ------------------------------------------------------------------------------
volume="$RUN_ID-data"
podman volume create "$volume" >/dev/null
volumes+=("$volume")
start "$RUN_ID-1" "$volume"
first_process_ms=$process_ms
ok "ready on 127.0.0.1:$port -> 9000: ${process_ms} ms from process start, ${start_ms} ms from podman run (new volume)"

[ "$(podman image inspect "$IMAGE" --format '{{.Config.ExposedPorts}}')" = "map[9000/tcp:{}]" ] || fail "the image does not EXPOSE 9000"
uid="$(podman exec "$RUN_ID-1" sh -c 'stat -c %u /proc/1')"
cmd="$(podman exec "$RUN_ID-1" sh -c 'tr "\0" " " </proc/1/cmdline')"
[ "$uid" != 0 ] || fail "PID 1 runs as root"
[[ "$cmd" == /app/ims* ]] || fail "PID 1 is '$cmd', not the service"
ok "PID 1 is '$cmd' running as uid $uid"

r="$(api "http://127.0.0.1:$port/version")"
[ "$(status_of "$r")" = 200 ] && [ "$(body_of "$r" | json_field version)" = "$version" ] || fail "/version answered $(body_of "$r")"
ok "/version answers $version"

r="$(api -X POST "http://127.0.0.1:$port/v3/public-keys" -d '{"name": "ctest", "public_key": "ssh-ed25519 AAAAC3Nza ctest@host"}')"
[ "$(status_of "$r")" = 201 ] || fail "POST /v3/public-keys answered $(status_of "$r"): $(body_of "$r")"
created="$(body_of "$r")"
id="$(json_field id <<<"$created")"
r="$(api "http://127.0.0.1:$port/v3/public-keys/$id")"
[ "$(status_of "$r")" = 200 ] && [ "$(body_of "$r")" = "$created" ] || fail "GET /v3/public-keys/$id answered $(body_of "$r")"
ok "POST then GET /v3/public-keys/$id"

podman kill --signal TERM "$RUN_ID-1" >/dev/null
code="$(timeout 60 podman wait "$RUN_ID-1")" || fail "still running 60 s after SIGTERM"
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
podman logs "$RUN_ID-1" 2>&1 | grep -q '"msg":"stopped"' || fail "no 'stopped' log line after SIGTERM"
ok "SIGTERM: drained, logged 'stopped' and exited 0"

# ---- a new container on the same volume ---------------------------------------------------------
start "$RUN_ID-2" "$volume"
r="$(api "http://127.0.0.1:$port/v3/public-keys/$id")"
[ "$(status_of "$r")" = 200 ] && [ "$(body_of "$r")" = "$created" ] || fail "after a new container: GET answered $(body_of "$r")"
ok "a new container on the same volume serves the record (ready ${process_ms} ms from process start)"
podman stop -t 30 "$RUN_ID-2" >/dev/null
[ "$(podman inspect "$RUN_ID-2" --format '{{.State.ExitCode}}')" = 0 ] || fail "podman stop: exit code not 0"

# ---- a data directory the service may not write -------------------------------------------------
scratch="$(mktemp -d /var/tmp/ims-ctest.XXXXXX)"
chmod 755 "$scratch" # root-owned, as a host directory made by docker run -v is
containers+=("$RUN_ID-3")
podman run -d --name "$RUN_ID-3" -v "$scratch:/var/ims/data" "$IMAGE" >/dev/null || fail "podman run $RUN_ID-3"
code="$(timeout 30 podman wait "$RUN_ID-3")" || fail "still running on a directory it cannot write"
[ "$code" != 0 ] || fail "exit 0 on a directory it cannot write"
podman logs "$RUN_ID-3" 2>&1 | grep -q 'is not writable by uid 65534 (it belongs to uid 0)' ||
  fail "no clear message for an unwritable data directory"
ok "a root-owned data directory: exit $code, the log names the directory and both uids"

# ---- figures ------------------------------------------------------------------------------------
log "image $IMAGE: $((size_bytes / 1000000)) MB; build ${build_ms} ms${COLD:+ (cold)}; process start to ready ${first_process_ms} ms (new volume), ${process_ms} ms (existing database); podman run to ready ${start_ms} ms"
echo "$passed passed, 0 failed"
