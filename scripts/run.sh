#!/usr/bin/env bash
# Runs Lobby on http://localhost:8080 and says where once it is ready. Without DATABASE_URL it
# starts a local PostgreSQL cluster in .data/pg (kept between runs) and, if this run started it,
# stops it again when Lobby exits (Ctrl-C). Arguments go to the binary (`run.sh migrate status`).
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
  # Stop at exit only a cluster this run started: `run.sh migrate status` beside a running
  # `run.sh` must not take that server's database away.
  if ! scripts/pg.sh status "$dir"; then
    trap 'scripts/pg.sh stop "$dir"' EXIT
  fi
  DATABASE_URL=$(scripts/pg.sh start "$dir")
  export DATABASE_URL
  echo "run.sh: PostgreSQL at $DATABASE_URL (data in $dir)" >&2
fi

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
build_web
dotnet build src/Lobby.Api -c Release -nologo -v quiet
dll=src/Lobby.Api/bin/Release/net10.0/Lobby.Api.dll

# Subcommands (`migrate status`, `users …`) run in the foreground and say what they did.
if [ $# -gt 0 ] && [ "$1" != serve ] && [[ "$1" != --* ]]; then
  exec_status=0
  dotnet "$dll" "$@" || exec_status=$?
  exit "$exec_status"
fi

# The first address Kestrel listens on, as a browser would open it.
url=${ASPNETCORE_URLS:-http://localhost:8080}
url=${url%%;*}
url=$(sed -E 's#//(\+|\*|0\.0\.0\.0|\[::\])(:|/|$)#//localhost\2#' <<<"$url")
url=${url%/}

# Answers 0 once GET /health/live returns 200 (bash's /dev/tcp: no curl needed).
live() {
  local rest=${url#*://} host port
  host=${rest%%[:/]*}
  port=${rest#"$host"}; port=${port#:}; port=${port%%/*}
  [ -n "$port" ] || port=80
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'GET /health/live HTTP/1.0\r\nHost: %s\r\n\r\n' "$host" >&3
    read -r -t 2 line <&3 || exit 1
    [[ "$line" == *" 200"* ]]
  ) 2>/dev/null
}

# Run from the project root so .env and the development key folder (.data/keys) are found there.
dotnet "$dll" "$@" &
app=$!
# A background job ignores the terminal's Ctrl-C, so it is passed on as SIGTERM (a graceful stop).
trap 'kill -TERM "$app" 2>/dev/null' INT TERM
for _ in $(seq 1 240); do
  kill -0 "$app" 2>/dev/null || break
  if live; then
    docs=""
    if [ "${API_DOCS_ENABLED:-}" = true ] || { [ -z "${API_DOCS_ENABLED:-}" ] && [ "$ASPNETCORE_ENVIRONMENT" = Development ]; }; then
      docs=", API reference at $url/docs"
    fi
    echo "run.sh: Lobby is ready at $url$docs. Press Ctrl-C to stop it." >&2
    break
  fi
  sleep 0.25
done
status=0
wait "$app" || status=$?
# Ctrl-C interrupts the first wait; the second one waits for Lobby to finish shutting down.
if kill -0 "$app" 2>/dev/null; then
  status=0
  wait "$app" || status=$?
fi
exit "$status"
