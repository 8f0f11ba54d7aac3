#!/usr/bin/env bash
# Runs Lobby on http://localhost:8080. Without DATABASE_URL it starts a local PostgreSQL
# cluster in .data/pg (kept between runs) and stops it again when Lobby exits (Ctrl-C).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# The web client (web/dist, served at /): npm ci when a lock file changed, vite build when a
# source is newer than the build. Without Node the API still runs, just without the page.
build_web() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "run.sh: npm not found; serving the API without the web client (install Node.js >= 20.19)" >&2
    return 0
  fi
  local dir want
  for dir in clients/typescript web; do
    want=$(cd "$dir" && sha256sum package.json package-lock.json | sha256sum | cut -c1-64)
    if [ "$(cat "$dir/node_modules/.check-client-lock" 2>/dev/null)" != "$want" ]; then
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) && echo "$want" >"$dir/node_modules/.check-client-lock"
    fi
  done
  if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.ts clients/typescript/src -newer web/dist/index.html -print -quit)" ]; then
    (cd web && node_modules/.bin/vite build --logLevel warn)
  fi
}

if [ -z "${DATABASE_URL:-}" ]; then
  dir=$(cluster_dir pg)
  DATABASE_URL=$(scripts/pg.sh start "$dir")
  export DATABASE_URL
  trap 'scripts/pg.sh stop "$dir"' EXIT
  echo "run.sh: PostgreSQL at $DATABASE_URL (data in $dir)" >&2
fi

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
build_web
dotnet build src/Lobby.Api -c Release -nologo -v quiet
# Run from the project root so .env and the development key folder (.data/keys) are found there.
dotnet src/Lobby.Api/bin/Release/net10.0/Lobby.Api.dll "$@"
