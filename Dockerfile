# ims as a container image that replaces upstream's (cray-ims-service) in place: port 9000,
# data in the volume /var/ims/data, uid 65534 as upstream, /version from /app/.version.
#   docker build -t cray-ims-service:dev -f Dockerfile .
#   podman build -t cray-ims-service:dev --secret id=extra_ca,src=/etc/ssl/certs/ca-certificates.crt .
# The optional build secret extra_ca is a CA bundle for `bun install` behind a TLS-intercepting
# proxy (it never lands in a layer); an image built through such a proxy must not be pushed.
# Without a registry, scripts/container/base-images.sh makes both FROM images locally.

FROM docker.io/oven/bun:1.4.5-slim AS build
WORKDIR /src
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json bun.lock bunfig.toml ./
COPY packages/ims-core/package.json packages/ims-core/
COPY packages/ims-http/package.json packages/ims-http/
COPY packages/ims-templates/package.json packages/ims-templates/
COPY examples/package.json examples/
RUN --mount=type=secret,id=extra_ca \
    if [ -s /run/secrets/extra_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/extra_ca; fi \
    && bun install --frozen-lockfile --production
COPY .version tsconfig.json ./
COPY packages packages
# `bun run build`: one executable, dist/ims (templates and .version inside it).
RUN bun run build

FROM docker.io/library/debian:bookworm-slim
# ssh probes remote build nodes (IMS_REMOTE_SSH_PATH); nothing else is needed beside the executable.
RUN apt-get update -qq \
    && apt-get install -qq --no-install-recommends openssh-client \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*
# Upstream's user (nobody, 65534) owns the data directory, so its volumes stay readable and
# a new named volume starts out writable.
RUN mkdir -p /app /var/ims/data && chown 65534:65534 /var/ims/data
COPY --from=build /src/dist/ims /app/ims
COPY .version /app/.version
WORKDIR /app
ENV PORT=9000 \
    DATABASE_URL=sqlite:/var/ims/data/ims.sqlite \
    IMS_ARTIFACTS_DIR=/var/ims/data/artifacts \
    IMS_VERSION_FILE=/app/.version
USER 65534:65534
VOLUME ["/var/ims/data"]
EXPOSE 9000
# Exec form: the service is PID 1 and gets SIGTERM itself (it drains, then exits 0).
ENTRYPOINT ["/app/ims"]
