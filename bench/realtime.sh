#!/usr/bin/env bash
# Real-time delivery benchmark: one room, RT_CONNECTIONS (100) SignalR WebSocket connections of
# RT_USERS (10) users subscribed to it, RT_RATE (50) messages a second posted over HTTP for
# RT_SECONDS (30); bench/realtime (a C# console tool) measures deliveries/s, per-connection
# completeness and order (every connection must get every message exactly once, in seq order)
# and the latency from "201 received" to "event received". Median of RT_RUNS (3) runs.
#
#   bash bench/realtime.sh
#   RT_SCENARIOS="fanout idle" bash bench/realtime.sh   # 2,000-connection fan-out, slow consumers, 5,000 idle
#   REPORT_ONLY=1 bash bench/realtime.sh     # rebuild the report from the last raw runs
#
# RT_SCENARIOS (default "delivery"): any of
#   delivery  the scenario above (SignalR's .NET client, 100 connections)
#   fanout    FO_CONNECTIONS (2000) bare-WebSocket subscribers of FO_USERS (20) users in one room
#             (REALTIME_MAX_CONNECTIONS_PER_USER raised to 1000, METRICS_ENABLED=true): a ladder of
#             post rates (FO_RATES, FO_PROBE_SECONDS each, stopping after the first phase with p99
#             201 -> event over FO_TARGET_P99_MS or a lost delivery) picks the highest rate that
#             met the target; then FO_HOLD_RUNS rounds of two FO_HOLD_SECONDS holds at that rate:
#             all FO_CONNECTIONS reading, and the same with FO_SLOW_PCT % of them replaced by raw
#             sockets that subscribe and never read (slow-consumer isolation); server RSS sampled
#             by the tool, slow-consumer closes from /metrics
#             and, with FO_HISTORY=1, a third hold whose slow sockets subscribe from seq 0 of a room
#             holding FO_PREFILL (20,000) earlier messages: the catch-up overflows their buffers at once
#   idle      FO_IDLE_RUNS times: a fresh Lobby, a 50-connection warm-up, then FO_IDLE_CONNECTIONS
#             (5000) subscribed connections that receive nothing: server RSS per connection
# Every step holds the shared CPU lock (/tmp/lobby-cpu.lock) and releases it in between.
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
RT_SCENARIOS=${RT_SCENARIOS:-delivery}
FO_CONNECTIONS=${FO_CONNECTIONS:-2000}
FO_USERS=${FO_USERS:-20}
FO_RATES=${FO_RATES:-10 15 20 25 30 35 40 50}
FO_PROBE_SECONDS=${FO_PROBE_SECONDS:-15}
FO_HOLD_SECONDS=${FO_HOLD_SECONDS:-60}
FO_HOLD_RUNS=${FO_HOLD_RUNS:-3}
FO_SLOW_PCT=${FO_SLOW_PCT:-5}
FO_DRAIN=${FO_DRAIN:-10}
FO_TARGET_P99_MS=${FO_TARGET_P99_MS:-100}
FO_IDLE_CONNECTIONS=${FO_IDLE_CONNECTIONS:-5000}
FO_IDLE_RUNS=${FO_IDLE_RUNS:-3}
FO_RATE=${FO_RATE:-} # set: skip the ladder and hold this rate
FO_PREFILL=${FO_PREFILL:-20000} # messages in the fan-out room before the runs (history for the slow-from-0 sockets)
FO_HISTORY=${FO_HISTORY:-1}     # 1: each round also holds with the slow sockets subscribing from seq 0 (the whole history)
FO_SLOW=$((FO_CONNECTIONS * FO_SLOW_PCT / 100))
has() { case " $RT_SCENARIOS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
# Thousands of sockets in Lobby and in the tool: as many descriptors as the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if has fanout || has idle; then
  need=$((FO_IDLE_CONNECTIONS > FO_CONNECTIONS ? FO_IDLE_CONNECTIONS : FO_CONNECTIONS))
  [ "$(ulimit -n)" -gt $((need + 1000)) ] || die "ulimit -n is $(ulimit -n); $need connections need more (raise the hard limit)"
fi

build() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$BENCH_WORK/out/Lobby.Api" ] && [ -f "$BENCH_WORK/realtime/RealtimeLoad.dll" ]; then
    log "SKIP_BUILD=1: reusing $BENCH_WORK/out and $BENCH_WORK/realtime"
    return
  fi
  log "publishing Lobby (Release) to $BENCH_WORK/out"
  (cd "$ROOT" && locked dotnet publish src/Lobby.Api -c Release -o "$BENCH_WORK/out" -nologo -v quiet) >&2
  log "building bench/realtime"
  (cd "$ROOT" && locked dotnet build bench/realtime -c Release -o "$BENCH_WORK/realtime" -nologo -v quiet) >&2
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

# tool_run RUNS_NAME TIMEOUT_S ARGS...: one bounded run of the tool in fanout/idle mode; every
# FO/IDLE line it prints goes to runs/RUNS_NAME with the run's foreign CPU, server and tool cores.
tool_run() {
  local name=$1 limit=$2 out="$BENCH_WORK/runs/.fo" tfile="$BENCH_WORK/runs/.fotime" b0 o0 t0 b1 o1 t1 od tool_cpu extra
  shift 2
  wait_for_quiet
  b0=$(sys_busy); o0=$(ours_snapshot); t0=$(date +%s.%N)
  (
    TIMEFORMAT='%U %S'
    { time timeout "$limit" dotnet "$BENCH_WORK/realtime/RealtimeLoad.dll" "$@" >"$out" 2>"$out.err"; } 2>"$tfile"
  ) || { tail -n 30 "$out.err" >&2; die "the realtime tool failed ($name)"; }
  b1=$(sys_busy); o1=$(ours_snapshot); t1=$(date +%s.%N)
  od=$(ours_delta "$o0" "$o1")
  tool_cpu=$(awk '{ print $1 + $2 }' "$tfile")
  extra=$(awk -v b=$((b1 - b0)) -v o="$od" -v w="$tool_cpu" -v t0="$t0" -v t1="$t1" -v n="$NCPU" -v hz="$CLK_TCK" \
    'BEGIN { el = t1 - t0; f = ((b - o) / hz - w) / (el * n) * 100; if (f < 0) f = 0; printf "foreign_cpu_pct=%.0f server_cores=%.2f tool_cores=%.2f run_s=%.0f", f, o / hz / el, w / el, el }')
  grep -E '^(FO|IDLE) ' "$out" | sed "s/\$/ $extra/" >>"$BENCH_WORK/runs/$name" || true
  grep -qE '^(FO|IDLE) ' "$out" || { cat "$out" "$out.err" >&2; die "the realtime tool printed no FO/IDLE line ($name)"; }
  grep -E '^(FO|IDLE) ' "$out" | while read -r l; do log "$name: $(echo "$l" | tr ' ' '\n' | grep -E '^(phase|connections|slow|rate|posted|deliveries_per_s|complete_conns|missing|e2e_p50_ms|e2e_p99_ms|rss_start_kb|rss_peak_kb|rss_idle_kb|rss_per_conn_kb|slow_closed|slow_consumer_closes_metric)=' | paste -sd' ') $extra"; done
  grep -v 'subscribed to' "$out.err" | head -n 10 >&2 || true
}

seed_users() { # seed_users COUNT PREFIX: COUNT users to $BENCH_WORK/tokens, one private room ($ROOM) they all belong to
  local stamp u body owner
  stamp=$(date +%s%N)
  : >"$BENCH_WORK/tokens"
  IDS=()
  for u in $(seq 1 "$1"); do
    body=$(post_json /api/v1/auth/register "{\"email\":\"bench-$2-$u-$stamp@example.com\",\"password\":\"Bench-Pass-$stamp-qzx\",\"displayName\":\"RT $u\"}")
    echo "$body" | jq -r .accessToken >>"$BENCH_WORK/tokens"
    IDS+=("$(echo "$body" | jq -r .user.id)")
  done
  owner=$(head -n 1 "$BENCH_WORK/tokens")
  ROOM=$(curl -fsS -X POST -H "Authorization: Bearer $owner" -H 'Content-Type: application/json' \
    --data "{\"name\":\"bench-$2\",\"topic\":\"bench\",\"visibility\":\"private\"}" "$BASE_URL/api/v1/rooms" | jq -r .id)
  for u in "${IDS[@]:1}"; do
    curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $owner" -H 'Content-Type: application/json' \
      --data "{\"userId\":\"$u\"}" "$BASE_URL/api/v1/rooms/$ROOM/members"
  done
}

FO_LOBBY=(MESSAGE_RATE_LIMIT_PER_MINUTE=1000000 ACCESS_TOKEN_MINUTES=60 REALTIME_MAX_CONNECTIONS_PER_USER=1000 METRICS_ENABLED=true)

if [ "${REPORT_ONLY:-0}" != 1 ]; then
bench_init
build
start_pg
make_key
if has delivery; then
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
  cpu_lock "realtime run $i"
  rt_run
  cpu_unlock
done
stop_lobby
fi

FO_TOOL_LIMIT=$((FO_HOLD_SECONDS + FO_DRAIN + 240))
if has fanout; then
  start_lobby "${FO_LOBBY[@]}"
  seed_users "$FO_USERS" fanout
  if [ "$FO_PREFILL" -gt 0 ]; then
    psql_exec "INSERT INTO messages (id, room_id, seq, author_id, body)
      SELECT gen_random_uuid(), '$ROOM', s, '${IDS[0]}', 'prefill ' || lpad(s::text, 6, '0') || ' ' || repeat('y', 85)
      FROM generate_series(1, $FO_PREFILL) s;
      UPDATE rooms SET last_seq = $FO_PREFILL WHERE id = '$ROOM'; ANALYZE"
  fi
  log "fan-out: $FO_USERS users, room $ROOM ($FO_PREFILL messages of history); $FO_CONNECTIONS connections; slow: $FO_SLOW"
  cpu_lock "fan-out warm-up"
  tool_run fo-warmup 120 fanout "$BASE_URL" "$ROOM" "$BENCH_WORK/tokens" --connections 100 --slow 5 --rates 20 --seconds 5 --drain 5 --server-pid "$LOBBY_PID"
  cpu_unlock
  if [ -z "$FO_RATE" ]; then
    # The ladder: one tool run, connections kept open from rate to rate.
    cpu_lock "fan-out ladder"
    tool_run fo-probe $((FO_PROBE_SECONDS * $(echo "$FO_RATES" | wc -w) * 2 + 300)) fanout "$BASE_URL" "$ROOM" "$BENCH_WORK/tokens" \
      --connections "$FO_CONNECTIONS" --rates "$(echo "$FO_RATES" | tr ' ' ',')" --seconds "$FO_PROBE_SECONDS" --drain "$FO_DRAIN" \
      --target-p99 "$FO_TARGET_P99_MS" --server-pid "$LOBBY_PID"
    cpu_unlock
    FO_RATE=$(awk -v t="$FO_TARGET_P99_MS" '{ r = ""; p = ""; m = ""; for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "rate") r = kv[2]; if (kv[1] == "e2e_p99_ms") p = kv[2]; if (kv[1] == "missing") m = kv[2] } if (p != "nan" && p + 0 <= t && m + 0 == 0 && r + 0 > best) best = r + 0 } END { print best + 0 }' "$BENCH_WORK/runs/fo-probe")
    [ "$FO_RATE" -gt 0 ] || { FO_RATE=$(echo "$FO_RATES" | awk '{ print $1 }'); log "no rate of the ladder met the target; holding the lowest ($FO_RATE/s)"; }
  fi
  echo "$FO_RATE" >"$BENCH_WORK/runs/.fo-rate"
  log "fan-out: holding $FO_RATE posts/s ($((FO_RATE * FO_CONNECTIONS)) deliveries/s) for $FO_HOLD_SECONDS s, $FO_HOLD_RUNS rounds, each with and without $FO_SLOW slow consumers"
  for i in $(seq 1 "$FO_HOLD_RUNS"); do
    # One lock per round: the three holds of a round run back to back under the same conditions.
    cpu_lock "fan-out round $i"
    tool_run fo-hold "$FO_TOOL_LIMIT" fanout "$BASE_URL" "$ROOM" "$BENCH_WORK/tokens" --connections "$FO_CONNECTIONS" \
      --rates "$FO_RATE" --seconds "$FO_HOLD_SECONDS" --drain "$FO_DRAIN" --target-p99 100000 --server-pid "$LOBBY_PID"
    tool_run fo-slow "$FO_TOOL_LIMIT" fanout "$BASE_URL" "$ROOM" "$BENCH_WORK/tokens" --connections $((FO_CONNECTIONS - FO_SLOW)) --slow "$FO_SLOW" \
      --rates "$FO_RATE" --seconds "$FO_HOLD_SECONDS" --drain "$FO_DRAIN" --target-p99 100000 --server-pid "$LOBBY_PID"
    if [ "$FO_HISTORY" = 1 ]; then
      tool_run fo-slow-history "$FO_TOOL_LIMIT" fanout "$BASE_URL" "$ROOM" "$BENCH_WORK/tokens" --connections $((FO_CONNECTIONS - FO_SLOW)) --slow "$FO_SLOW" --slow-from 0 \
        --rates "$FO_RATE" --seconds "$FO_HOLD_SECONDS" --drain "$FO_DRAIN" --target-p99 100000 --server-pid "$LOBBY_PID"
    fi
    cpu_unlock
  done
  curl -fsS "$BASE_URL/metrics" 2>/dev/null | grep '^lobby_realtime' >"$BENCH_WORK/runs/.fo-metrics" || true
  stop_lobby
fi

if has idle; then
  for i in $(seq 1 "$FO_IDLE_RUNS"); do
    cpu_lock "idle connections $i"
    start_lobby "${FO_LOBBY[@]}"
    [ "$i" -gt 1 ] || seed_users "$FO_USERS" idle
    tool_run fo-idle-warmup 120 idle "$BASE_URL" "$ROOM" "$BENCH_WORK/tokens" --connections 50 --settle 1 --server-pid "$LOBBY_PID"
    sleep 3
    tool_run fo-idle 300 idle "$BASE_URL" "$ROOM" "$BENCH_WORK/tokens" --connections "$FO_IDLE_CONNECTIONS" --settle 10 --server-pid "$LOBBY_PID"
    stop_lobby
    cpu_unlock
  done
fi
fi

# ---------------------------------------------------------------------------------------------
# Report
report_context
if has delivery; then
RUNS_FILE="$BENCH_WORK/runs/realtime"
m() { med_of realtime "$1"; }
sum() { total realtime "$1"; }
VIOL=$(($(sum missing) + $(sum duplicates) + $(sum out_of_order) + $(sum unexpected) + $(sum id_mismatch)))
P99=$(m e2e_p99_ms)
MET=$(awk -v p="$P99" -v t="$RT_TARGET_P99_MS" 'BEGIN { print (p <= t) ? "met" : "NOT met" }')
RESULT=$(result_file realtime)
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
fi

if has fanout || has idle; then
RESULT=$(result_file realtime-fanout)
R="$BENCH_WORK/runs"
kv() { tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; } # kv NAME < one line
mb() { awk -v k="$1" 'BEGIN { if (k == "" || k == "nan") print "-"; else printf "%.0f", k / 1024 }'; }
have() { [ -s "$R/$1" ]; }
{
  echo "# Lobby real-time fan-out benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- Commit: $COMMIT; Release publish, Production, \`LOG_LEVEL=Warning\`, one instance (no Redis), \`REALTIME_MAX_CONNECTIONS_PER_USER=1000\`, \`METRICS_ENABLED=true\`, other realtime settings at their defaults (\`REALTIME_QUEUE_LIMIT=1024\`, \`REALTIME_SEND_TIMEOUT_SECONDS=10\`)"
  echo "- Machine: $NCPU × $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); the load tool (bench/realtime, bare-WebSocket subscribers speaking SignalR's JSON protocol), Lobby and PostgreSQL share the cores"
  echo "- One private room; $FO_CONNECTIONS subscribed connections over $FO_USERS users; posts over HTTP as a paced open loop (posters rotating over the users); latency = event received − 201 received (same process), over every delivery to every reading connection"
  if have fo-probe; then
    echo
    echo "## Ladder ($FO_PROBE_SECONDS s per rate, one tool run, connections kept open)"
    echo
    echo "| Posts/s | Deliveries/s | Complete conns | Missing | e2e p50 ms | p90 | p99 | p99.9 | max | POST p99 ms | Server RSS peak MB | Lobby+PG cores (run) | Tool cores (run) | Foreign CPU (run) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    while read -r l; do
      printf '| %s | %s | %s/%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s%% |\n' "$(echo "$l" | kv rate)" "$(echo "$l" | kv deliveries_per_s)" \
        "$(echo "$l" | kv complete_conns)" "$(echo "$l" | kv connections)" "$(echo "$l" | kv missing)" "$(echo "$l" | kv e2e_p50_ms)" "$(echo "$l" | kv e2e_p90_ms)" \
        "$(echo "$l" | kv e2e_p99_ms)" "$(echo "$l" | kv e2e_p999_ms)" "$(echo "$l" | kv e2e_max_ms)" "$(echo "$l" | kv post_p99_ms)" "$(mb "$(echo "$l" | kv rss_peak_kb)")" \
        "$(echo "$l" | kv server_cores)" "$(echo "$l" | kv tool_cores)" "$(echo "$l" | kv foreign_cpu_pct)"
    done <"$R/fo-probe"
    echo
    echo "Chosen: the highest rate with p99 ≤ $FO_TARGET_P99_MS ms and no lost delivery: **$(cat "$R/.fo-rate" 2>/dev/null) posts/s**. (Server and tool cores and foreign CPU are for the whole ladder run.)"
  fi
  if have fo-hold; then
    RATE=$(cat "$R/.fo-rate" 2>/dev/null || echo "?")
    H=$(med_of fo-hold e2e_p99_ms); S=$(med_of fo-slow e2e_p99_ms)
    echo
    echo "## Holds at $RATE posts/s for $FO_HOLD_SECONDS s (median of $(runs_of fo-hold) + $(runs_of fo-slow) runs, interleaved)"
    echo
    SH=$(have fo-slow-history && med_of fo-slow-history e2e_p99_ms || echo nan)
    echo "| Metric | $FO_CONNECTIONS reading | $((FO_CONNECTIONS - FO_SLOW)) reading + $FO_SLOW never reading (subscribed from the current seq) | … + $FO_SLOW never reading, subscribed from seq 0 ($FO_PREFILL+ messages of history) | Runs (reading) | Runs (slow) | Runs (slow from 0) |"
    echo "|---|---:|---:|---:|---|---|---|"
    for f in connections slow posted post_errors deliveries expected_deliveries deliveries_per_s complete_conns closed_readers missing duplicates out_of_order unexpected id_mismatch e2e_p50_ms e2e_p90_ms e2e_p99_ms e2e_p999_ms e2e_max_ms post_p50_ms post_p99_ms rss_before_connect_kb rss_start_kb rss_peak_kb rss_end_kb tcp_mem_start_kb tcp_mem_peak_kb tcp_mem_end_kb slow_closed slow_close_p50_s slow_close_max_s slow_consumer_closes_metric server_cores tool_cores foreign_cpu_pct; do
      h3=""; r3=""
      if have fo-slow-history; then h3=$(med_of fo-slow-history "$f"); r3=$(field "$f" <"$R/fo-slow-history" | paste -sd' ' | sed 's/ /, /g'); fi
      echo "| $f | $(med_of fo-hold "$f") | $(med_of fo-slow "$f") | ${h3:--} | $(field "$f" <"$R/fo-hold" | paste -sd' ' | sed 's/ /, /g') | $(field "$f" <"$R/fo-slow" | paste -sd' ' | sed 's/ /, /g') | ${r3:--} |"
    done
    echo
    echo "- **Deliveries/s at $RATE posts/s × $FO_CONNECTIONS connections: $(med_of fo-hold deliveries_per_s)** (median of the reading-only holds); e2e p99 $(fmt "$H" 1) ms (target ≤ $FO_TARGET_P99_MS ms: $(awk -v p="$H" -v t="$FO_TARGET_P99_MS" 'BEGIN { print (p <= t) ? "met" : "NOT met" }'))."
    echo "- **Slow-consumer isolation:** p99 of the reading connections $(fmt "$S" 1) ms with $FO_SLOW never-reading sockets vs $(fmt "$H" 1) ms without: $(awk -v a="$S" -v b="$H" 'BEGIN { if (b > 0) printf "%+.0f%%", (a / b - 1) * 100 }') (goal: within ±20%); slow sockets closed by the server: $(med_of fo-slow slow_closed) of $FO_SLOW (tool), slow-consumer closes in /metrics: $(med_of fo-slow slow_consumer_closes_metric) (median per run)."
    [ "$SH" = nan ] || echo "- **Slow sockets subscribed from seq 0** (they never read the catch-up of the room's history): p99 of the reading connections $(fmt "$SH" 1) ms, $(awk -v a="$SH" -v b="$H" 'BEGIN { if (b > 0) printf "%+.0f%%", (a / b - 1) * 100 }') against the reading-only holds; closed by the server: $(med_of fo-slow-history slow_closed) of $FO_SLOW (tool), $(med_of fo-slow-history slow_consumer_closes_metric) slow-consumer closes in /metrics (median per run), $(med_of fo-slow-history slow_close_p50_s) s after the posting started (median)."
    echo "- Server RSS per connection at $FO_CONNECTIONS subscribed (rss_start − rss_before_connect, same process, heap already grown by earlier runs, so a lower bound): $(paste -d' ' <(field rss_start_kb <"$R/fo-hold") <(field rss_before_connect_kb <"$R/fo-hold") | awk -v n="$FO_CONNECTIONS" '{ printf "%.1f\n", ($1 - $2) / n }' | median) KiB; peak RSS during the holds $(mb "$(maximum fo-hold rss_peak_kb)") MB (reading) / $(mb "$(maximum fo-slow rss_peak_kb)") MB (with slow)."
  fi
  if have fo-idle; then
    echo
    echo "## $FO_IDLE_CONNECTIONS idle subscribed connections (fresh Lobby each run, after a 50-connection warm-up)"
    echo
    echo "| Metric | Median | Runs |"
    echo "|---|---:|---|"
    for f in connections open connect_s rss_before_kb rss_idle_kb rss_per_conn_kb server_cores tool_cores foreign_cpu_pct; do
      echo "| $f | $(med_of fo-idle "$f") | $(field "$f" <"$R/fo-idle" | paste -sd' ' | sed 's/ /, /g') |"
    done
  fi
  echo
  echo '```'
  for f in fo-probe fo-hold fo-slow fo-slow-history fo-idle; do [ ! -f "$R/$f" ] || sed "s/^/$f: /" "$R/$f"; done
  [ ! -f "$R/.fo-metrics" ] || cat "$R/.fo-metrics"
  echo '```'
} | tee "$RESULT"
log "written to $RESULT"
fi
