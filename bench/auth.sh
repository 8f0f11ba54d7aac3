#!/usr/bin/env bash
# Auth benchmarks: login, authenticated GET, each against a peer measured in the same run.
#
#   bash bench/auth.sh                      # RUNS=5 DURATION=10s WARMUP=3s
#   RUNS=3 DURATION=5s bash bench/auth.sh   # quicker, noisier
#   REPORT_ONLY=1 bash bench/auth.sh        # only rebuild the report from the last run's raw results
#
# Builds Lobby (Release), starts its own PostgreSQL cluster and Lobby (Production) on
# 127.0.0.1:8089, and stops them again on exit. Prints a markdown table and writes it to
# bench/results/auth-<date>.md. See bench/README.md for what each scenario measures.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [ "${REPORT_ONLY:-0}" != 1 ]; then
bench_init
build_all

# ---------------------------------------------------------------------------------------------
# The Argon2id ceiling: cores / time of one hash, timed before Lobby starts (only ambient load).
log "timing one Argon2id hash (Lobby's library and cost), 3 times"
for _ in 1 2 3; do
  wait_for_quiet
  dotnet "$BENCH_WORK/hashtime/HashTime.dll" 19456 2 40 >>"$BENCH_WORK/runs/hash"
done
fi
HASH_MS=$(field single_ms <"$BENCH_WORK/runs/hash" | median)
HASH_PARALLEL=$(field parallel_per_s <"$BENCH_WORK/runs/hash" | median)
CEILING=$(awk -v n="$NCPU" -v ms="$HASH_MS" 'BEGIN { printf "%.1f", n * 1000 / ms }')
log "one hash: $HASH_MS ms; ceiling $NCPU cores / $HASH_MS ms = $CEILING hashes/s; measured on $NCPU threads: $HASH_PARALLEL/s"

if [ "${REPORT_ONLY:-0}" != 1 ]; then

# ---------------------------------------------------------------------------------------------
start_pg
make_key
start_lobby

STAMP=$(date +%s)
export LOGIN_EMAIL="bench-login-$STAMP@example.com"
export LOGIN_PASSWORD="Bench-Pass-$STAMP-qzx"
post_json /api/v1/auth/register "{\"email\":\"$LOGIN_EMAIL\",\"password\":\"$LOGIN_PASSWORD\",\"displayName\":\"Bench Login\"}" >/dev/null
post_json /api/v1/auth/login "{\"email\":\"$LOGIN_EMAIL\",\"password\":\"$LOGIN_PASSWORD\"}" >/dev/null

# A separate user for authed-get, with exactly one session: the login flood piles up sessions
# on the login user, which would make /sessions a different (larger) query as runs go on.
READER_EMAIL="bench-reader-$STAMP@example.com"
BENCH_TOKEN=$(post_json /api/v1/auth/register "{\"email\":\"$READER_EMAIL\",\"password\":\"$LOGIN_PASSWORD\",\"displayName\":\"Bench Reader\"}" | json_field accessToken)
[ -n "$BENCH_TOKEN" ] || die "register returned no accessToken"
export BENCH_TOKEN
curl -fsS -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "$BASE_URL/api/v1/auth/sessions" || die "GET /sessions with the token failed"

# ---------------------------------------------------------------------------------------------
# login: 16 connections, with a low-rate /health/live probe alongside; peers /health/live at
# 16 connections and the probe on an otherwise idle Lobby, interleaved run by run.
warmup 16 login.lua /api/v1/auth/login
warmup 16 get.lua /health/live
for i in $(seq 1 "$RUNS"); do
  log "login round $i/$RUNS"
  wrk_run login 16 "$DURATION" login.lua /api/v1/auth/login probe-during-login /health/live
  wrk_run live-c16 16 "$DURATION" get.lua /health/live
  wrk_run probe-idle 1 "$DURATION" probe.lua /health/live
done

# ---------------------------------------------------------------------------------------------
# authed-get with the default 10 s session-check cache, at 16 and 64 connections;
# peer /health/live at 64 (the 16-connection peer is live-c16 above, same run).
warmup 64 authed_get.lua /api/v1/auth/sessions
warmup 64 get.lua /health/live
for i in $(seq 1 "$RUNS"); do
  log "authed-get round $i/$RUNS"
  wrk_run authed-c16 16 "$DURATION" authed_get.lua /api/v1/auth/sessions
  wrk_run authed-c64 64 "$DURATION" authed_get.lua /api/v1/auth/sessions
  wrk_run live-c64 64 "$DURATION" get.lua /health/live
done

# authed-get again with SESSION_CHECK_CACHE_SECONDS=0: every request looks the session up.
stop_lobby
start_lobby SESSION_CHECK_CACHE_SECONDS=0
curl -fsS -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "$BASE_URL/api/v1/auth/sessions" || die "GET /sessions after restart failed"
warmup 64 authed_get.lua /api/v1/auth/sessions
for i in $(seq 1 "$RUNS"); do
  log "authed-get (no cache) round $i/$RUNS"
  wrk_run authed-nocache-c16 16 "$DURATION" authed_get.lua /api/v1/auth/sessions
  wrk_run authed-nocache-c64 64 "$DURATION" authed_get.lua /api/v1/auth/sessions
done
stop_lobby
fi

# ---------------------------------------------------------------------------------------------
# Report

errors_of() { echo $(($(total "$1" connect_err) + $(total "$1" read_err) + $(total "$1" write_err) + $(total "$1" timeouts))); }

row() { # row LABEL CONNS SCENARIO RATIO
  local s=$3
  local cores="-" foreign="-"
  if grep -q foreign_cpu_pct "$BENCH_WORK/runs/$s"; then
    cores=$(fmt "$(med_of "$s" server_cores)" 2)
    foreign="$(maximum "$s" foreign_cpu_pct)%"
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" \
    "$(fmt "$(med_of "$s" rps)" 1)" "$(fmt "$(med_of "$s" p50_ms)" 2)" "$(fmt "$(med_of "$s" p90_ms)" 2)" "$(fmt "$(med_of "$s" p99_ms)" 2)" \
    "$4" "$cores" "$(total "$s" non2xx)" "$(errors_of "$s")" "$foreign"
}

LOGIN=$(med_of login rps)
LIVE16=$(med_of live-c16 rps)
LIVE64=$(med_of live-c64 rps)
A16=$(med_of authed-c16 rps)
A64=$(med_of authed-c64 rps)
N16=$(med_of authed-nocache-c16 rps)
N64=$(med_of authed-nocache-c64 rps)
PROBE_BUSY=$(med_of probe-during-login p99_ms)
PROBE_IDLE=$(med_of probe-idle p99_ms)
NON2XX=0
ERRORS=0
for s in login probe-during-login live-c16 probe-idle authed-c16 authed-c64 live-c64 authed-nocache-c16 authed-nocache-c64; do
  NON2XX=$((NON2XX + $(total "$s" non2xx)))
  ERRORS=$((ERRORS + $(errors_of "$s")))
done

report_context
RESULT=$(result_file auth)

{
  echo "# Lobby auth benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- Commit: $COMMIT; Release publish, \`ASPNETCORE_ENVIRONMENT=Production\`, \`LOG_LEVEL=Warning\`"
  echo "- Machine: $NCPU × $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"); wrk, Lobby and PostgreSQL on the same box"
  echo "- $(dotnet --version | sed 's/^/.NET SDK /'), $PGVER, $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
  echo "- Each row: median of $RUNS runs of $DURATION after a $WARMUP warm-up; peers interleaved run by run with their subject"
  echo
  echo "| Scenario | Conns | Requests/s | p50 ms | p90 ms | p99 ms | Compared with | Lobby+PG cores | Non-2xx | Socket errors | Foreign CPU (max) |"
  echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
  row "POST /auth/login" 16 login "$(ratio_pct "$LOGIN" "$CEILING") of the $NCPU-core Argon2id ceiling ($CEILING/s); $(ratio_pct "$LOGIN" "$LIVE16") of /health/live"
  row "GET /health/live (peer)" 16 live-c16 "100%"
  row "GET /health/live probe during the login flood" "1 (~50 req/s)" probe-during-login "p99 $(fmt "$PROBE_BUSY" 2) ms vs $(fmt "$PROBE_IDLE" 2) ms idle"
  row "GET /health/live probe, Lobby idle (peer)" "1 (~50 req/s)" probe-idle "-"
  row "GET /auth/sessions (authed-get)" 16 authed-c16 "$(ratio_pct "$A16" "$LIVE16") of /health/live"
  row "GET /auth/sessions (authed-get)" 64 authed-c64 "$(ratio_pct "$A64" "$LIVE64") of /health/live"
  row "GET /health/live (peer)" 64 live-c64 "100%"
  row "GET /auth/sessions, SESSION_CHECK_CACHE_SECONDS=0" 16 authed-nocache-c16 "$(ratio_pct "$N16" "$LIVE16") of /health/live; $(ratio_pct "$N16" "$A16") of cached"
  row "GET /auth/sessions, SESSION_CHECK_CACHE_SECONDS=0" 64 authed-nocache-c64 "$(ratio_pct "$N64" "$LIVE64") of /health/live; $(ratio_pct "$N64" "$A64") of cached"
  echo
  echo "- Argon2id (m=19456 KiB, t=2, p=1, NSec/libsodium as in Lobby): one hash takes $(fmt "$HASH_MS" 1) ms on one thread (median of 3 × 40),"
  echo "  so the $NCPU-core ceiling is $NCPU / $(fmt "$HASH_MS" 1) ms = **$CEILING logins/s**; $NCPU threads hashing at once actually reached $(fmt "$HASH_PARALLEL" 1)/s."
  echo "- **login reaches $(ratio_pct "$LOGIN" "$CEILING") of the $NCPU-core Argon2id ceiling** ($(fmt "$LOGIN" 1) of $CEILING/s) and $(ratio_pct "$LOGIN" "$HASH_PARALLEL") of the measured $NCPU-thread hash rate."
  echo "- During the login flood a 1-connection probe of /health/live had p99 $(fmt "$PROBE_BUSY" 2) ms (idle: $(fmt "$PROBE_IDLE" 2) ms)."
  echo "- authed-get (JWT validation + session check + the sessions query) runs at $(ratio_pct "$A16" "$LIVE16") (16 conns) and $(ratio_pct "$A64" "$LIVE64") (64 conns) of /health/live."
  echo "- Without the session-check cache authed-get runs at $(ratio_pct "$N16" "$A16") (16) and $(ratio_pct "$N64" "$A64") (64) of its cached rate."
  echo "- Validity: $NON2XX non-2xx/3xx responses and $ERRORS socket errors/timeouts over all runs (must be 0)."
  echo "- Lobby+PG cores: CPU used by Lobby and PostgreSQL during the run, in cores (median; the box has $NCPU). Probe rows run alongside login, so their CPU is in the login row."
  echo "- Foreign CPU: share of the $NCPU cores used by processes other than wrk, Lobby and PostgreSQL during a run (other work on the box); high values mean that run was disturbed."
  echo
  echo "<details><summary>Raw runs</summary>"
  echo
  echo '```'
  cat "$BENCH_WORK/runs/hash"
  for s in login probe-during-login live-c16 probe-idle authed-c16 authed-c64 live-c64 authed-nocache-c16 authed-nocache-c64; do
    sed "s/^BENCH /$s /" "$BENCH_WORK/runs/$s"
  done
  echo '```'
  echo
  echo "</details>"
} | tee "$RESULT"
log "written to $RESULT"
[ "$NON2XX" -eq 0 ] && [ "$ERRORS" -eq 0 ] || log "WARNING: $NON2XX non-2xx responses and $ERRORS socket errors: results are not valid"
