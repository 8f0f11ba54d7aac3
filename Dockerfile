# Lobby API image.
#
#   docker build -t lobby-api .
#   docker run --rm -e DATABASE_URL=... lobby-api                 # serve on :8080
#   docker run --rm -e DATABASE_URL=... lobby-api migrate up      # same image, one-shot migration
#   docker run --rm lobby-api help                                # every command
#
# The runtime stage is Ubuntu chiseled ("distroless"): no shell, no package manager, non-root
# (UID 1654, the `app` user of the official .NET images). It runs with a read-only root
# filesystem; see compose.yaml (`read_only: true` + a tmpfs on /tmp) and docs/OPERATIONS.md.
# scripts/check-deploy.sh lints this file and, without Docker, runs the build stage's restore and
# publish in a folder holding exactly what its COPY lines take from the build context; the test
# suite's out-of-process tests and end-to-end runs then use that very executable.

# -----------------------------------------------------------------------------------------
# build: restore (own cached layer), then a Native AOT publish (docs/decisions/0019): one
# self-contained executable, no .NET runtime in the image. The `-aot` SDK image carries the
# native toolchain (clang, the linker's libraries). AOT compiles for the architecture it runs on,
# so this stage runs on the target platform: a multi-arch build emulates it for the other one.
# -----------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble-aot AS build
ARG TARGETARCH=amd64
WORKDIR /src

# Restore with only the files that decide the package graph, so editing code keeps this layer.
# (migrations/*.sql are embedded at build time, not at restore, so they are copied with the
# sources below: adding a migration does not invalidate the restored packages.)
COPY global.json Directory.Build.props Directory.Packages.props Lobby.slnx ./
COPY src/Lobby.Api/Lobby.Api.csproj src/Lobby.Api/
RUN dotnet restore src/Lobby.Api/Lobby.Api.csproj -a "$TARGETARCH"

# .editorconfig holds the analyzer severities the build obeys (warnings are errors): without it
# the image's build fails where the repository's passes.
COPY .editorconfig ./
COPY migrations/ migrations/
COPY src/Lobby.Api/ src/Lobby.Api/
# The native debug symbols (Lobby.Api.dbg, ~3x the binary) stay in the build stage.
RUN dotnet publish src/Lobby.Api/Lobby.Api.csproj -c Release -a "$TARGETARCH" --no-restore -o /app/publish && rm -f /app/publish/*.dbg

# -----------------------------------------------------------------------------------------
# web: the Vite SPA in web/ (docs/decisions/0011-web-client.md). It imports the typed client
# from clients/typescript as source, so that folder's runtime package (openapi-fetch) is
# installed too. The output is static files, the same on every platform: built once, natively.
# -----------------------------------------------------------------------------------------
FROM --platform=$BUILDPLATFORM node:22-alpine AS web
WORKDIR /src
COPY clients/typescript/package.json clients/typescript/package-lock.json clients/typescript/
# --ignore-scripts: its `prepare` builds the npm package (dist/), which the SPA does not use.
RUN cd clients/typescript && npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY web/package.json web/package-lock.json web/
RUN cd web && npm ci --no-audit --no-fund
COPY clients/typescript/src/ clients/typescript/src/
COPY web/index.html web/vite.config.ts web/
COPY web/public/ web/public/
COPY web/src/ web/src/
RUN cd web && npx vite build

# -----------------------------------------------------------------------------------------
# runtime
# -----------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS runtime
WORKDIR /app

# Listen on every interface inside the container. ASPNETCORE_HTTP_PORTS (8080 in the base
# image) is blanked so Kestrel does not warn that URLS overrides it; the `healthcheck`
# command reads the same ASPNETCORE_URLS to find this instance.
# DOTNET_EnableDiagnostics=0: no diagnostics IPC socket in /tmp, so the process also starts on
# a read-only root filesystem without any tmpfs.
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS="" \
    DOTNET_EnableDiagnostics=0

COPY --from=build /app/publish ./
# web/dist under the content root (/app) is where Lobby looks when WEB_ROOT is not set.
COPY --from=web /src/web/dist ./web/dist

# The chiseled image already runs as `app`; stated explicitly (numeric, so Kubernetes'
# runAsNonRoot can verify it) in case the base image is ever swapped for a full one.
USER 1654:1654
EXPOSE 8080

# Exec form: the chiseled image has no shell (and no curl). The subcommand asks this
# instance's /health/ready (schema at the latest migration, database reachable).
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/app/Lobby.Api", "healthcheck"]

# Serving is the default command; anything after the image name is a Lobby subcommand
# (`migrate up`, `migrate status`, `healthcheck`, `help`).
ENTRYPOINT ["/app/Lobby.Api"]
