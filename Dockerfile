# ims as a container image that replaces upstream's (cray-ims-service) in place: port 9000,
# data in the volume /var/ims/data, uid 65534 as upstream, /version from /app/.version.
#   docker build -t cray-ims-service:dev -f Dockerfile .
#   podman build -t cray-ims-service:dev --secret id=extra_ca,src=/etc/ssl/certs/ca-certificates.crt .
# The default target builds the executable from source (stage `build`). The target `prebuilt`
# takes one built on the host instead (what scripts/container-test.sh uses):
#   bun run build && podman build --target prebuilt --build-context executable=dist -t ... .
# The optional build secret extra_ca is a CA bundle for `bun install` behind a TLS-intercepting
# proxy (it never lands in a layer); an image built through such a proxy must not be pushed.
# Without a registry, scripts/container/base-images.sh makes the FROM images locally.

FROM docker.io/oven/bun:1.4.5-slim AS build
WORKDIR /src
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json bun.lock bunfig.toml ./
COPY packages/ims-core/package.json packages/ims-core/
COPY packages/ims-http/package.json packages/ims-http/
COPY packages/ims-cli/package.json packages/ims-cli/
COPY packages/ims-templates/package.json packages/ims-templates/
COPY examples/package.json examples/
RUN --mount=type=secret,id=extra_ca \
    if [ -s /run/secrets/extra_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/extra_ca; fi \
    && bun install --frozen-lockfile --production
COPY .version tsconfig.json ./
COPY packages packages
# `bun run build`: one executable, dist/ims (templates and .version inside it).
RUN bun run build

# Everything but the executable.
FROM docker.io/library/debian:bookworm-slim AS runtime
# ssh probes remote build nodes (IMS_REMOTE_SSH_PATH); nothing else is needed beside the executable.
RUN apt-get update -qq \
    && apt-get install -qq --no-install-recommends openssh-client \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*
# Upstream's user (nobody, 65534) owns the data directory, so its volumes stay readable and
# a new named volume starts out writable.
RUN mkdir -p /app /var/ims/data && chown 65534:65534 /var/ims/data
COPY .version /app/.version
WORKDIR /app
# IMS_LEGACY_DATA_DIR: upstream's JSON files in the same volume are imported once (upgrade in place).
ENV PORT=9000 \
    DATABASE_URL=sqlite:/var/ims/data/ims.sqlite \
    IMS_ARTIFACTS_DIR=/var/ims/data/artifacts \
    IMS_LEGACY_DATA_DIR=/var/ims/data \
    IMS_VERSION_FILE=/app/.version
USER 65534:65534
VOLUME ["/var/ims/data"]
EXPOSE 9000
# Exec form: the service is PID 1 and gets SIGTERM itself (it drains, then exits 0).
# `docker run IMAGE migrate-legacy /var/ims/data` (or export, import, ...) runs an admin command.
ENTRYPOINT ["/app/ims"]
CMD ["serve"]

# The executable built on the host (`bun run build`), given as the build context `executable`.
FROM runtime AS prebuilt
COPY --from=executable ims /app/ims

# The default target: the executable built from source above.
FROM runtime
COPY --from=build /src/dist/ims /app/ims
