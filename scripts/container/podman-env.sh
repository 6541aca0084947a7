# Sourced by the container scripts: podman with this project's containers.conf, the tools
# installed from Debian when missing, and a check whether an image registry answers.
# shellcheck shell=bash

CONTAINER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$CONTAINER_DIR/../.." && pwd)"
# A caller's own CONTAINERS_CONF wins; nothing under /etc is changed either way.
export CONTAINERS_CONF="${CONTAINERS_CONF:-$CONTAINER_DIR/containers.conf}"

log() { printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Installs podman, runc and debootstrap (Debian packages) when one of them is missing.
ensure_tools() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}: install them (sudo apt-get install ${missing[*]}) or run as root"
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
  log "installing ${missing[*]} from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# True when Docker Hub (where the FROM images live) answers; it answers 401 to an anonymous /v2/.
registry_answers() {
  local code
  code="$(curl -s -o /dev/null -m "${REGISTRY_TIMEOUT:-5}" -w '%{http_code}' https://registry-1.docker.io/v2/ 2>/dev/null || true)"
  [ "$code" = 401 ] || [ "$code" = 200 ]
}

# The images the Dockerfile's FROM lines name (stage names excluded), in order.
dockerfile_bases() {
  local stages=" "
  while read -r _ image rest; do
    [[ " $stages " == *" $image "* ]] || echo "$image"
    [[ "$rest" =~ [Aa][Ss][[:space:]]+([^[:space:]]+) ]] && stages+="${BASH_REMATCH[1]} "
  done < <(grep -E '^FROM[[:space:]]' "$REPO_ROOT/Dockerfile")
}

# The image a named stage of the Dockerfile starts FROM (`FROM image AS name`).
stage_base() {
  grep -iE "^FROM[[:space:]]+[^[:space:]]+[[:space:]]+AS[[:space:]]+$1[[:space:]]*$" "$REPO_ROOT/Dockerfile" | awk '{print $2}'
}
