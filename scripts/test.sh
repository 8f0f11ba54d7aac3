#!/usr/bin/env bash
# Runs every test. Without DATABASE_URL it starts a fresh throwaway PostgreSQL cluster (and
# installs the server binaries if missing); with it, tests create their databases there.
# Ends with the line "N passed, N failed, N skipped" and a non-zero exit on any failure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

results="$ROOT/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dir="" redis_dir="$ROOT/.data/redis-test"
cleanup() {
  scripts/redis.sh stop "$redis_dir"
  if [ -n "$dir" ]; then scripts/pg.sh stop "$dir"; fi
}
trap cleanup EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  dir=$(cluster_dir pg-test)
  scripts/pg.sh stop "$dir"
  rm -rf "$dir"
  # Durability is pointless for a cluster thrown away after the run; skipping fsync makes tests faster.
  LOBBY_TEST_DATABASE_URL=$(PG_FSYNC=off PG_SYNCHRONOUS_COMMIT=off scripts/pg.sh start "$dir") || exit 1
else
  LOBBY_TEST_DATABASE_URL=$DATABASE_URL
fi
export LOBBY_TEST_DATABASE_URL
unset DATABASE_URL

# Redis for the two-instance real-time test (SignalR backplane).
LOBBY_TEST_REDIS_URL=$(scripts/redis.sh start "$redis_dir") || exit 1
export LOBBY_TEST_REDIS_URL

status=0
dotnet build Lobby.slnx -c Release -warnaserror -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

# The image's executable first: check-deploy publishes it (Native AOT) from exactly the Docker
# build context and keeps it in artifacts/image, and every test that runs Lobby as a process -
# the out-of-process integration tests, the TS client's and the browser's end-to-end runs - runs
# that executable (LOBBY_BINARY), so what ships is what is tested.
rm -rf "$ROOT/artifacts/image"
IMAGE_OUT="$ROOT/artifacts/image" bash scripts/check-deploy.sh | tee "$results/check-deploy.txt" || status=1
if [ -x "$ROOT/artifacts/image/Lobby.Api" ]; then
  export LOBBY_BINARY="$ROOT/artifacts/image/Lobby.Api"
else
  echo "test.sh: no image executable (check-deploy failed); the process tests run the JIT build" >&2
  status=1
fi

for project in tests/Lobby.UnitTests tests/Lobby.IntegrationTests; do
  name=$(basename "$project")
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || status=1
done

# The OpenAPI contract (lint) and the TypeScript client (types in sync, tsc, node tests, and an
# end-to-end run against the built binary on this database server).
bash scripts/check-client.sh | tee "$results/check-client.txt" || status=1

# The web client (tsc, vite build into web/dist, Vitest, and an end-to-end run in Chromium
# against the built binary serving it).
bash scripts/check-web.sh | tee "$results/check-web.txt" || status=1

# The developer scripts (run.sh, pg.sh, redis.sh) as the README describes them.
bash scripts/check-scripts.sh | tee "$results/check-scripts.txt" || status=1

# Deployment files (Dockerfile, compose.yaml, nginx) checked without a Docker engine, and the
# image's build stage run from exactly the files it copies.

passed=0 failed=0 skipped=0
for check in check-client check-web check-scripts check-deploy; do
  if line=$(grep -E "^$check: [0-9]+ passed, [0-9]+ failed" "$results/$check.txt" | tail -n 1); then
    passed=$((passed + $(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')))
    failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
    if echo "$line" | grep -qE '[0-9]+ skipped'; then
      skipped=$((skipped + $(echo "$line" | sed -E 's/.* ([0-9]+) skipped.*/\1/')))
    fi
  else
    echo "test.sh: $check printed no summary line" >&2
    failed=$((failed + 1))
  fi
done
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

# A crashed test host can fail the run without a failed test in the counts.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "test.sh: a test run failed without reporting a failed test (crash or build error)" >&2
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
