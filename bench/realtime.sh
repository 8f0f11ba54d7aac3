#!/usr/bin/env bash
# Real-time delivery benchmark: one room, RT_CONNECTIONS (100) SignalR WebSocket connections of
# RT_USERS (10) users subscribed to it, RT_RATE (50) messages a second posted over HTTP for
# RT_SECONDS (30); bench/realtime (a C# console tool) measures deliveries/s, per-connection
# completeness and order (every connection must get every message exactly once, in seq order)
# and the latency from "201 received" to "event received". Median of RT_RUNS (3) runs.
#
#   bash bench/realtime.sh
#   REPORT_ONLY=1 bash bench/realtime.sh     # rebuild the report from the last raw runs
#
# Builds Lobby (Release) and the tool, starts its own PostgreSQL cluster and Lobby (Production)
# on 127.0.0.1:8089, stops them on exit. Writes bench/results/realtime-<date>.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RT_RUNS=${RT_RUNS:-3}
RT_CONNECTIONS=${RT_CONNECTIONS:-100}
RT_USERS=${RT_USERS:-10}
RT_RATE=${RT_RATE:-50}
RT_SECONDS=${RT_SECONDS:-30}
RT_DRAIN=${RT_DRAIN:-10}
RT_TARGET_P99_MS=${RT_TARGET_P99_MS:-50}
PER_USER=$(((RT_CONNECTIONS + RT_USERS - 1) / RT_USERS))

build() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$BENCH_WORK/out/Lobby.Api.dll" ] && [ -f "$BENCH_WORK/realtime/RealtimeLoad.dll" ]; then
    log "SKIP_BUILD=1: reusing $BENCH_WORK/out and $BENCH_WORK/realtime"
    return
  fi
  log "publishing Lobby (Release) to $BENCH_WORK/out"
  (cd "$ROOT" && dotnet publish src/Lobby.Api -c Release -o "$BENCH_WORK/out" -nologo -v quiet) >&2
  log "building bench/realtime"
  (cd "$ROOT" && dotnet build bench/realtime -c Release -o "$BENCH_WORK/realtime" -nologo -v quiet) >&2
}

# rt_run: one bounded run of the tool; appends its RT line plus foreign CPU to runs/realtime.
rt_run() {
  local out="$BENCH_WORK/runs/.rt" tfile="$BENCH_WORK/runs/.rttime" b0 o0 t0 b1 o1 t1 od tool_cpu foreign line
  wait_for_quiet
  b0=$(sys_busy); o0=$(ours_snapshot); t0=$(date +%s.%N)
  (
    TIMEFORMAT='%U %S'
    { time timeout $((RT_SECONDS + RT_DRAIN + 180)) dotnet "$BENCH_WORK/realtime/RealtimeLoad.dll" "$BASE_URL" "$ROOM" "$BENCH_WORK/tokens" \
        "$RT_CONNECTIONS" "$RT_RATE" "$RT_SECONDS" "$RT_DRAIN" >"$out" 2>"$out.err"; } 2>"$tfile"
  ) || { cat "$out.err" >&2; die "the realtime tool failed"; }
  b1=$(sys_busy); o1=$(ours_snapshot); t1=$(date +%s.%N)
  od=$(ours_delta "$o0" "$o1")
  tool_cpu=$(awk '{ print $1 + $2 }' "$tfile")
  foreign=$(awk -v b=$((b1 - b0)) -v o="$od" -v w="$tool_cpu" -v t0="$t0" -v t1="$t1" -v n="$NCPU" -v hz="$CLK_TCK" \
    'BEGIN { f = ((b - o) / hz - w) / ((t1 - t0) * n) * 100; if (f < 0) f = 0; printf "%.0f", f }')
  line=$(grep '^RT ' "$out" || true)
  [ -n "$line" ] || { cat "$out" "$out.err" >&2; die "the realtime tool printed no RT line"; }
  line="$line foreign_cpu_pct=$foreign server_cores=$(awk -v o="$od" -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", o / hz / (t1 - t0) }') tool_cores=$(awk -v w="$tool_cpu" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.2f", w / (t1 - t0) }')"
  echo "$line" >>"$BENCH_WORK/runs/realtime"
  grep -v 'subscribed to' "$out.err" | head -n 20 >&2 || true
  log "realtime: $(echo "$line" | cut -d' ' -f2-)"
}

if [ "${REPORT_ONLY:-0}" != 1 ]; then
bench_init
build
start_pg
make_key
start_lobby MESSAGE_RATE_LIMIT_PER_MINUTE=1000000 ACCESS_TOKEN_MINUTES=60 REALTIME_MAX_CONNECTIONS_PER_USER="$PER_USER"

STAMP=$(date +%s)
: >"$BENCH_WORK/tokens"
IDS=()
for u in $(seq 1 "$RT_USERS"); do
  body=$(post_json /api/v1/auth/register "{\"email\":\"bench-rt-$u-$STAMP@example.com\",\"password\":\"Bench-Pass-$STAMP-qzx\",\"displayName\":\"RT $u\"}")
  echo "$body" | jq -r .accessToken >>"$BENCH_WORK/tokens"
  IDS+=("$(echo "$body" | jq -r .user.id)")
done
OWNER=$(head -n 1 "$BENCH_WORK/tokens")
ROOM=$(curl -fsS -X POST -H "Authorization: Bearer $OWNER" -H 'Content-Type: application/json' \
  --data '{"name":"bench-realtime","topic":"bench","visibility":"private"}' "$BASE_URL/api/v1/rooms" | jq -r .id)
for u in "${IDS[@]:1}"; do
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $OWNER" -H 'Content-Type: application/json' \
    --data "{\"userId\":\"$u\"}" "$BASE_URL/api/v1/rooms/$ROOM/members"
done
log "$RT_USERS users, room $ROOM; $RT_CONNECTIONS connections ($PER_USER per user at most)"

# Warm-up: a short run (10 connections, 5 s) so JIT and pools are warm; not recorded.
log "warm-up: 10 connections, 5 s"
timeout 60 dotnet "$BENCH_WORK/realtime/RealtimeLoad.dll" "$BASE_URL" "$ROOM" "$BENCH_WORK/tokens" 10 "$RT_RATE" 5 5 >"$BENCH_WORK/runs/.rt-warmup" 2>&1 \
  || { cat "$BENCH_WORK/runs/.rt-warmup" >&2; die "warm-up failed"; }
for i in $(seq 1 "$RT_RUNS"); do
  log "realtime run $i/$RT_RUNS"
  rt_run
done
stop_lobby
fi

# ---------------------------------------------------------------------------------------------
# Report
RUNS_FILE="$BENCH_WORK/runs/realtime"
m() { med_of realtime "$1"; }
sum() { total realtime "$1"; }
VIOL=$(($(sum missing) + $(sum duplicates) + $(sum out_of_order) + $(sum unexpected) + $(sum id_mismatch)))
P99=$(m e2e_p99_ms)
MET=$(awk -v p="$P99" -v t="$RT_TARGET_P99_MS" 'BEGIN { print (p <= t) ? "met" : "NOT met" }')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "${BENCH_COMMIT:-unknown}")
DAY=$(date +%Y-%m-%d)
mkdir -p "$BENCH_DIR/results"
RESULT="$BENCH_DIR/results/realtime-$DAY.md"
[ ! -e "$RESULT" ] || RESULT="$BENCH_DIR/results/realtime-$DAY-$(date +%H%M).md"
N=$(runs_of realtime)
{
  echo "# Lobby real-time benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- Commit: $COMMIT; Release publish, Production, \`LOG_LEVEL=Warning\`, one instance (no Redis), \`REALTIME_MAX_CONNECTIONS_PER_USER=$PER_USER\`"
  echo "- Machine: $NCPU × $(lscpu | sed -n 's/^Model name: *//p' | head -n 1); load tool, Lobby and PostgreSQL on the same box"
  echo "- One private room; $RT_CONNECTIONS WebSocket connections of $RT_USERS users subscribed; $RT_RATE POSTs/s for $RT_SECONDS s (paced open loop, posters rotating over the users); median of $N runs"
  echo
  echo "| Metric | Median | Runs |"
  echo "|---|---:|---|"
  for f in posted post_errors deliveries expected_deliveries deliveries_per_s complete_conns e2e_p50_ms e2e_p90_ms e2e_p99_ms e2e_max_ms early send_p50_ms send_p99_ms post_p50_ms post_p99_ms post_rate server_cores tool_cores foreign_cpu_pct; do
    echo "| $f | $(m "$f") | $(field "$f" <"$RUNS_FILE" | paste -sd' ' | sed 's/ /, /g') |"
  done
  echo
  echo "- Ordering and completeness over all runs: missing $(sum missing), duplicates $(sum duplicates), out of order $(sum out_of_order), unexpected $(sum unexpected), id mismatches $(sum id_mismatch) (**$VIOL violations**)."
  echo "- Target p99 ≤ $RT_TARGET_P99_MS ms (201 received → event received): median p99 $(fmt "$P99" 2) ms, **$MET**."
  echo "- e2e = event received − 201 received, in the same process; \`early\` counts deliveries that arrived before their own 201 (Lobby publishes the event before it writes the response), counted as negative latencies. send_* is from the POST being sent."
  echo
  echo '```'
  cat "$RUNS_FILE"
  echo '```'
} | tee "$RESULT"
log "written to $RESULT"
