#!/usr/bin/env bash
# Makes the base images the Dockerfile's FROM lines name when no registry serves them:
#   docker.io/library/debian:bookworm-slim  debootstrap --variant=minbase bookworm, slimmed
#   docker.io/oven/bun:<version>-slim       that base + the pinned Bun binary from npm
#                                           (@oven/bun-linux-x64-baseline), laid out as the official image
# An image already present is kept; when a registry answers, images are pulled instead.
# Arguments: the images to provide (default: every image the Dockerfile's FROM lines name), or
# --stage NAME: the image the Dockerfile's stage NAME starts from; --tools-only: only install
# podman, runc and debootstrap when missing.
# Images made here are labelled ims.local-base=true: their downloads may have gone through a
# TLS-intercepting proxy, so never push them (or anything built on them).
# Needs root (debootstrap, rootful podman). Env: DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail
source "$(dirname "$0")/podman-env.sh"

DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
LABEL='ims.local-base=true'

work=""
cleanup() { [ -z "$work" ] || rm -rf "$work"; }
trap cleanup EXIT

make_debian() {
  work="${work:-$(mktemp -d /var/tmp/ims-base.XXXXXX)}"
  local rootfs="$work/rootfs"
  log "debootstrap --variant=minbase bookworm from $MIRROR (35 s to 4 min, mostly download)"
  debootstrap --variant=minbase --components=main bookworm "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  # As the official slim image: no docs, man pages or locales, now or after later installs.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
CFG
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
CFG
  printf 'Acquire::Languages "none";\n' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<CFG
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
CFG
  find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete 2>/dev/null || true
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda,locale}/* \
    "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/root/.cache
  : >"$rootfs/etc/machine-id"
  log "importing $DEBIAN_IMAGE"
  tar --numeric-owner -C "$rootfs" -c . | podman import -q \
    --change 'CMD ["bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL $LABEL" \
    - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

make_bun() {
  local image="$1" version="$2"
  work="${work:-$(mktemp -d /var/tmp/ims-base.XXXXXX)}"
  local ctx="$work/bun-context"
  mkdir -p "$ctx"
  log "fetching @oven/bun-linux-x64-baseline@$version from the npm registry"
  (cd "$work" && npm pack --silent "@oven/bun-linux-x64-baseline@$version" >/dev/null)
  tar -xzf "$work"/oven-bun-linux-x64-baseline-"$version".tgz -C "$work" package/bin/bun
  mv "$work/package/bin/bun" "$ctx/bun"
  [ "$("$ctx/bun" --version)" = "$version" ] || die "the npm package holds Bun $("$ctx/bun" --version), not $version"
  cp "$CONTAINER_DIR/bun-entrypoint.sh" "$ctx/docker-entrypoint.sh"
  chmod 0755 "$ctx/bun" "$ctx/docker-entrypoint.sh"
  log "building $image"
  podman build -q --pull=never --label "$LABEL" --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" \
    -f "$CONTAINER_DIR/bun-base.Containerfile" -t "$image" "$ctx" >/dev/null
}

main() {
  ensure_tools
  local pinned images
  pinned="$(sed -nE 's/.*"packageManager": *"bun@([^"]+)".*/\1/p' "$REPO_ROOT/package.json")"
  case "${1:-}" in
    --tools-only) return 0 ;;
    --stage)
      images=("$(stage_base "${2:?--stage NAME}")")
      [ -n "${images[0]}" ] || die "the Dockerfile has no stage $2"
      ;;
    "") mapfile -t images < <(dockerfile_bases) ;;
    *) images=("$@") ;;
  esac
  [ "${#images[@]}" -gt 0 ] || die "no FROM line in $REPO_ROOT/Dockerfile"
  local online=""
  for image in "${images[@]}"; do
    if podman image exists "$image"; then
      log "$image: present"
      continue
    fi
    if [ -z "$online" ]; then registry_answers && online=yes || online=no; fi
    if [ "$online" = yes ] && podman pull -q "$image" >/dev/null; then
      log "$image: pulled"
      continue
    fi
    case "$image" in
      "$DEBIAN_IMAGE") make_debian ;;
      docker.io/oven/bun:*-slim)
        local version="${image#docker.io/oven/bun:}"
        version="${version%-slim}"
        [ "$version" = "$pinned" ] || die "the Dockerfile builds with Bun $version but package.json pins bun@$pinned"
        podman image exists "$DEBIAN_IMAGE" || make_debian
        make_bun "$image" "$version"
        ;;
      *) die "$image: no registry answers and this script cannot make it" ;;
    esac
    log "$image: made locally (label $LABEL: never push it)"
  done
}

main "$@"
