#!/usr/bin/env bash
# `bun run test:container`: builds the image, runs it on a loopback port with named volumes and
# checks what a user of upstream's image relies on:
#   ready on 9000 inside, a POST and a GET, /version and `ims --version` = .version, the admin
#   commands in the image, a non-root uid as PID 1, SIGTERM -> exit 0 after "stopped", the data
#   surviving a new container on the same volume, a clear start-up error on a data directory the
#   service may not write, and the upgrade in place: a copy of upstream's data directory (owned
#   by uid 65534, as upstream leaves it) is imported once, every record served byte for byte as
#   upstream served it, a second start imports nothing, the JSON files stay untouched.
# By default the executable is built with the host's bun (`bun run build`, also checked from
# another directory) and the image is the Dockerfile's `prebuilt` target around it: the same
# runtime stage as the default target, without a second Bun and dependency install inside.
# Prints the image size, build time and start times. Every container and volume it made is
# removed on exit, also on failure. Needs root (rootful podman). Options:
#   --from-source  build the Dockerfile's default target (the executable built inside, as
#                  `docker build .` does; needs the Bun base image too)
#   --cold         build without the layer cache
# Env: IMS_IMAGE (default localhost/cray-ims-service:dev), IMS_BUILD_CA_BUNDLE (a CA bundle for
# `bun install` behind a TLS-intercepting proxy, --from-source; default NODE_EXTRA_CA_CERTS when set).
set -euo pipefail
source "$(dirname "$0")/container/podman-env.sh"
cd "$REPO_ROOT"

IMAGE="${IMS_IMAGE:-localhost/cray-ims-service:dev}"
RUN_ID="ims-ctest-$$"
COLD=""
FROM_SOURCE=""
for arg in "$@"; do
  case "$arg" in
    --cold) COLD=--no-cache ;;
    --from-source) FROM_SOURCE=yes ;;
    *) die "unknown option $arg (--from-source, --cold)" ;;
  esac
done

containers=()
volumes=()
work="$(mktemp -d /var/tmp/ims-ctest.XXXXXX)"
cleanup() {
  local status=$?
  for c in ${containers[@]+"${containers[@]}"}; do podman rm -f -v -t 0 "$c" >/dev/null 2>&1 || true; done
  for v in ${volumes[@]+"${volumes[@]}"}; do podman volume rm -f "$v" >/dev/null 2>&1 || true; done
  rm -rf "$work"
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
# (grep without -q below: with pipefail, an early exit would fail the pipeline with SIGPIPE.)
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# ---- build -------------------------------------------------------------------------------------
ensure_tools
version="$(head -n 1 .version | tr -d '[:space:]')"
compile_ms=""
if [ -n "$FROM_SOURCE" ]; then
  bash "$CONTAINER_DIR/base-images.sh"
  secret=()
  ca="${IMS_BUILD_CA_BUNDLE:-${NODE_EXTRA_CA_CERTS:-}}"
  if [ -n "$ca" ] && [ -r "$ca" ]; then
    secret=(--secret "id=extra_ca,src=$ca")
    log "bun install in the build trusts $ca (an image built through an intercepting proxy must never be pushed)"
  fi
  build=(${secret[@]+"${secret[@]}"})
else
  log "bun run build (host bun $(bun --version))"
  t0=$(date +%s%N)
  bun run build >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "bun run build failed"; }
  compile_ms=$(ms_since "$t0")
  [ "$(cd "$work" && "$REPO_ROOT/dist/ims" --version)" = "$version" ] || fail "dist/ims --version (from $work) is not $version"
  ok "dist/ims --version answers $version from another directory (compiled in ${compile_ms} ms)"
  bash "$CONTAINER_DIR/base-images.sh" --stage runtime
  build=(--target prebuilt --build-context "executable=$REPO_ROOT/dist")
fi
if [ -n "$FROM_SOURCE" ]; then what="the default target, from source"; else what="target prebuilt"; fi
log "building $IMAGE ($what${COLD:+, cold: no layer cache})"
replaced="$(podman image inspect "$IMAGE" --format '{{.Id}}' 2>/dev/null || true)"
t0=$(date +%s%N)
podman build -q --pull=never $COLD ${build[@]+"${build[@]}"} -t "$IMAGE" -f Dockerfile . >/dev/null 2>"$work/image-build.log" ||
  { tail -n 30 "$work/image-build.log" >&2; fail "podman build failed"; }
build_ms=$(ms_since "$t0")
size_bytes=$(podman image inspect "$IMAGE" --format '{{.Size}}')
# The image this build replaced, now untagged, is not kept (refused while a container uses it).
[ -z "$replaced" ] || [ "$replaced" = "$(podman image inspect "$IMAGE" --format '{{.Id}}')" ] || podman image rm "$replaced" >/dev/null 2>&1 || true

[ "$(podman run --rm "$IMAGE" --version)" = "$version" ] || fail "ims --version in the image is not $version"
help="$(podman run --rm "$IMAGE" migrate-legacy --help)" || fail "ims migrate-legacy --help failed in the image"
[[ "$help" == "Usage: ims migrate-legacy DIR"* ]] || fail "ims migrate-legacy --help printed: ${help%%$'\n'*}"
ok "ims --version answers $version in the image; the admin commands are there (migrate-legacy --help)"

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
# The log line may reach podman's log file a moment after /healthz/ready answers.
service_start_ms() {
  local ready="" i
  for i in $(seq 50); do
    ready="$(podman logs "$1" 2>/dev/null | grep -m 1 '"msg":"ready"' || true)"
    [ -z "$ready" ] || break
    sleep 0.1
  done
  [ -n "$ready" ] || { echo "?"; return 0; }
  { podman inspect "$1" --format '{{.State.StartedAt}}'; echo "$ready"; } |
    bun -e 'const [started, ready] = (await Bun.stdin.text()).trim().split("\n");
      const t0 = Date.parse(started.replace(/\.(\d{3})\d*/, ".$1").replace(/ ([+-]\d\d)(\d\d) \w+$/, "$1:$2"));
      console.log(Date.parse(JSON.parse(ready).time) - t0)'
}
api() { curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' "$@"; }
status_of() { tail -n 1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }
# The same JSON value (a create answers in upstream's json.dumps layout, a GET in jsonify's).
same_json() { bun -e 'process.exit(Bun.deepEquals(JSON.parse(process.argv[1]), JSON.parse(process.argv[2]), true) ? 0 : 1)' "$1" "$2"; }
json_field() { # a field of a JSON object on stdin: text as is, objects as compact JSON
  bun -e 'const v = process.argv[1].split(".").reduce((o, k) => o?.[k], JSON.parse(await Bun.stdin.text()));
    console.log(typeof v === "object" && v !== null ? JSON.stringify(v) : (v ?? ""))' "$1"
}

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
# Files read at run time travel inside the executable: /docs serves Redoc's bundle from it.
bytes="$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$port/docs/redoc.standalone.js")"
[ "${bytes%% *}" = 200 ] && [ "${bytes##* }" -gt 100000 ] || fail "/docs/redoc.standalone.js answered $bytes"
ok "/docs serves Redoc's bundle from inside the executable (${bytes##* } bytes)"

r="$(api -X POST "http://127.0.0.1:$port/v3/public-keys" -d '{"name": "ctest", "public_key": "ssh-ed25519 AAAAC3Nza ctest@host"}')"
[ "$(status_of "$r")" = 201 ] || fail "POST /v3/public-keys answered $(status_of "$r"): $(body_of "$r")"
created="$(body_of "$r")"
id="$(json_field id <<<"$created")"
r="$(api "http://127.0.0.1:$port/v3/public-keys/$id")"
[ "$(status_of "$r")" = 200 ] && same_json "$(body_of "$r")" "$created" || fail "GET /v3/public-keys/$id answered $(body_of "$r")"
ok "POST then GET /v3/public-keys/$id"

podman kill --signal TERM "$RUN_ID-1" >/dev/null
code="$(timeout 60 podman wait "$RUN_ID-1")" || fail "still running 60 s after SIGTERM"
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
podman logs "$RUN_ID-1" 2>&1 | grep '"msg":"stopped"' >/dev/null || fail "no 'stopped' log line after SIGTERM"
ok "SIGTERM: drained, logged 'stopped' and exited 0"

# ---- a new container on the same volume ---------------------------------------------------------
start "$RUN_ID-2" "$volume"
existing_process_ms=$process_ms
r="$(api "http://127.0.0.1:$port/v3/public-keys/$id")"
[ "$(status_of "$r")" = 200 ] && same_json "$(body_of "$r")" "$created" || fail "after a new container: GET answered $(body_of "$r")"
ok "a new container on the same volume serves the record (ready ${process_ms} ms from process start)"
podman stop -t 30 "$RUN_ID-2" >/dev/null
[ "$(podman inspect "$RUN_ID-2" --format '{{.State.ExitCode}}')" = 0 ] || fail "podman stop: exit code not 0"

# ---- a data directory the service may not write -------------------------------------------------
scratch="$work/root-owned"
mkdir -m 755 "$scratch" # root-owned, as a host directory made by docker run -v is
containers+=("$RUN_ID-3")
podman run -d --name "$RUN_ID-3" -v "$scratch:/var/ims/data" "$IMAGE" >/dev/null || fail "podman run $RUN_ID-3"
code="$(timeout 30 podman wait "$RUN_ID-3")" || fail "still running on a directory it cannot write"
[ "$code" != 0 ] || fail "exit 0 on a directory it cannot write"
podman logs "$RUN_ID-3" 2>&1 | grep 'is not writable by uid 65534 (it belongs to uid 0)' >/dev/null ||
  fail "no clear message for an unwritable data directory"
ok "a root-owned data directory: exit $code, the log names the directory and both uids"

# ---- upgrade in place: a copy of upstream's data directory --------------------------------------
bun scripts/container/legacy-fixture.ts "$work/legacy"
legacy="$RUN_ID-legacy"
podman volume create "$legacy" >/dev/null
volumes+=("$legacy")
# As upstream leaves its volume: the JSON files owned by its user, 65534.
podman run --rm --user 0 --entrypoint sh -v "$legacy:/var/ims/data" -v "$work/legacy/data:/src:ro" "$IMAGE" \
  -c 'cp -p /src/*.json /var/ims/data/ && chown -R 65534:65534 /var/ims/data' || fail "copying the legacy files into $legacy"
# Names, sizes, times, owners, modes and contents: what "untouched" means.
fingerprint() {
  podman run --rm --user 0 --entrypoint sh -v "$legacy:/d:ro" "$IMAGE" \
    -c 'cd /d && stat -c "%n %s %Y %u:%g %a" *.json && sha256sum *.json'
}
files_before="$(fingerprint)"
[ "$(grep -c ' 65534:65534 ' <<<"$files_before")" = 8 ] || fail "the legacy copy is not 8 files owned by 65534: $files_before"
served_as_upstream() { # every collection's list, byte for byte
  local p
  while read -r p; do
    curl -s "http://127.0.0.1:$port/v3/$p" -o "$work/served.json"
    cmp -s "$work/served.json" "$work/legacy/expected/${p//\//-}.json" ||
      fail "GET /v3/$p is not what upstream served: $(head -c 300 "$work/served.json")"
  done <"$work/legacy/paths"
}
start "$RUN_ID-4" "$legacy"
imported="$(podman logs "$RUN_ID-4" 2>/dev/null | grep '"msg":"upgrade in place: imported upstream' || true)"
[ -n "$imported" ] || fail "no 'imported' log line on upstream's data directory"
counts="$(json_field counts <<<"$imported" | tr -d '\n')"
[ "$counts" = '{"public_keys":2,"deleted_public_keys":1,"recipes":2,"deleted_recipes":1,"images":3,"deleted_images":1,"jobs":2,"remote_build_nodes":2}' ] ||
  fail "imported counts: $counts"
served_as_upstream
import_process_ms=$process_ms
ok "upstream's data directory imported at start ($counts) and every record served byte for byte as upstream's JSON (ready ${process_ms} ms from process start)"
podman kill --signal TERM "$RUN_ID-4" >/dev/null
[ "$(timeout 60 podman wait "$RUN_ID-4")" = 0 ] || fail "$RUN_ID-4: exit code not 0 after SIGTERM"
start "$RUN_ID-5" "$legacy"
again="$(podman logs "$RUN_ID-5" 2>/dev/null | grep -c '"msg":"upgrade in place' || true)"
[ "$again" = 0 ] || fail "the second start logged upgrade lines: $(podman logs "$RUN_ID-5" 2>/dev/null | grep '"msg":"upgrade in place')"
served_as_upstream
podman stop -t 30 "$RUN_ID-5" >/dev/null
[ "$(fingerprint)" = "$files_before" ] || fail "the JSON files changed: $(diff <(echo "$files_before") <(fingerprint))"
owner="$(podman run --rm --user 0 --entrypoint stat -v "$legacy:/d:ro" "$IMAGE" -c %u:%g /d/ims.sqlite)"
[ "$owner" = 65534:65534 ] || fail "ims.sqlite in the legacy volume belongs to $owner"
ok "a second start imports nothing and serves the same; the JSON files are untouched; ims.sqlite beside them belongs to 65534"

# ---- figures ------------------------------------------------------------------------------------
log "image $IMAGE: $((size_bytes / 1000000)) MB; ${compile_ms:+bun run build ${compile_ms} ms; }image build ${build_ms} ms ($what${COLD:+, cold}); process start to ready ${first_process_ms} ms (new volume), ${existing_process_ms} ms (existing database), ${import_process_ms} ms (importing upstream's files); podman run to ready ${start_ms} ms"
echo "$passed passed, 0 failed"
