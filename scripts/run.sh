#!/usr/bin/env bash
# Runs Lobby on http://localhost:8080. Without DATABASE_URL it starts a local PostgreSQL
# cluster in .data/pg (kept between runs) and stops it again when Lobby exits (Ctrl-C).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if [ -z "${DATABASE_URL:-}" ]; then
  dir=$(cluster_dir pg)
  DATABASE_URL=$(scripts/pg.sh start "$dir")
  export DATABASE_URL
  trap 'scripts/pg.sh stop "$dir"' EXIT
  echo "run.sh: PostgreSQL at $DATABASE_URL (data in $dir)" >&2
fi

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
dotnet build src/Lobby.Api -c Release -nologo -v quiet
# Run from the project root so .env and the development key folder (.data/keys) are found there.
dotnet src/Lobby.Api/bin/Release/net10.0/Lobby.Api.dll "$@"
