#!/usr/bin/env bash
# Mixed load: reads, message posts and logins in one request stream (bench/lua/mixed.lua,
# default per 100 requests: 25 GET room, 25 GET messages?limit=50, 20 GET /users/me,
# 25 POST message, 5 login). Finds the highest-throughput connection count whose p99 stays
# under P99_TARGET_MS (short probe runs at each of LEVELS), then holds that level for
# HOLD_RUNS x HOLD_DURATION and reports the median. wrk is closed-loop (no constant-rate mode),
# so the connection count is the knob for the offered load.
#
#   bash bench/mixed.sh                                   # LEVELS="2 4 8 16 32 64", 20 s probes, 3 x 60 s holds
#   LEVELS="8 16" HOLD_RUNS=1 bash bench/mixed.sh         # quicker
#   REPORT_ONLY=1 bash bench/mixed.sh                     # rebuild the report from the last raw runs
#
# Builds Lobby (Release), starts its own PostgreSQL cluster and Lobby (Production) on
# 127.0.0.1:$BENCH_PORT, stops them again on exit. Prints a markdown table and writes it to
# bench/results/mixed-<date>.md. See bench/README.md.
#
# Extra settings: LEVELS, PROBE_DURATION=20s, HOLD_DURATION=60s, HOLD_RUNS=3, P99_TARGET_MS=100,
# USERS=8 (readers/posters), ROOMS=8, LOGIN_USERS=4, PREFILL=200 (messages per room before the
# runs), MIX (see bench/lua/mixed.lua), FOREIGN_RERUN=30 (a run during which other processes
# took more than this % of the box is set aside and repeated once; 0 = never), LEVEL (skip the
# probes and hold this connection count).
set -euo pipefail
MAX_WRK_RUNS=${MAX_WRK_RUNS:-40}
WARMUP=${WARMUP:-5s}
source "$(dirname "$0")/lib.sh"

LEVELS=${LEVELS:-"2 4 8 16 32 64"}
PROBE_DURATION=${PROBE_DURATION:-20s}
HOLD_DURATION=${HOLD_DURATION:-60s}
HOLD_RUNS=${HOLD_RUNS:-3}
P99_TARGET_MS=${P99_TARGET_MS:-100}
USERS=${USERS:-8}
ROOMS=${ROOMS:-8}
LOGIN_USERS=${LOGIN_USERS:-4}
PREFILL=${PREFILL:-200}
FOREIGN_RERUN=${FOREIGN_RERUN:-30}
export MIX=${MIX:-"room=25,messages=25,me=20,post=25,login=5"}

# Every wrk invocation is bounded twice: by -d and, should wrk hang, by timeout(1) 30 s later
# (SIGINT first, so wrk still prints its summary; SIGKILL 10 s after that).
wrk_cmd() {
  local conns=$1 duration=$2 lua=$3 path=$4 threads=2
  [ "$conns" -ge 2 ] || threads=1
  echo timeout -s INT -k 10 $(($(to_seconds "$duration") + 30)) \
    wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s -s "$BENCH_DIR/lua/$lua" "$BASE_URL$path"
}

# measured SCENARIO ARGS...: wrk_run; when the run's foreign CPU exceeds FOREIGN_RERUN %, its
# line moves to runs/SCENARIO.disturbed and the run is repeated once (the repeat counts).
measured() {
  local scenario=$1 f
  wrk_run "$@"
  f=$(tail -n 1 "$BENCH_WORK/runs/$scenario" | field foreign_cpu_pct)
  if [ "$FOREIGN_RERUN" -gt 0 ] && [ "${f:-0}" -gt "$FOREIGN_RERUN" ]; then
    log "$scenario: foreign CPU ${f}% > ${FOREIGN_RERUN}%: setting the run aside and repeating it once"
    tail -n 1 "$BENCH_WORK/runs/$scenario" >>"$BENCH_WORK/runs/$scenario.disturbed"
    sed -i '$d' "$BENCH_WORK/runs/$scenario"
    wrk_run "$@"
  fi
}

errors_of() { echo $(($(total "$1" connect_err) + $(total "$1" read_err) + $(total "$1" write_err) + $(total "$1" timeouts))); }

# A probe level qualifies with p99 under the target and no non-2xx or socket error.
qualifies() {
  local s=$1
  [ "$(total "$s" non2xx)" -eq 0 ] && [ "$(errors_of "$s")" -eq 0 ] \
    && awk -v p="$(med_of "$s" p99_ms)" -v t="$P99_TARGET_MS" 'BEGIN { exit !(p < t) }'
}

# Prints the chosen level: the qualifying probe level with the most requests/s; without one,
# the level with the lowest p99 (and the report says the target was not met).
choose_level() {
  local best="" best_rps=-1 low="" low_p99="" c s r p
  for c in $LEVELS; do
    s=probe-c$c
    [ -f "$BENCH_WORK/runs/$s" ] || continue
    r=$(med_of "$s" rps); p=$(med_of "$s" p99_ms)
    if qualifies "$s" && awk -v a="$r" -v b="$best_rps" 'BEGIN { exit !(a > b) }'; then
      best=$c best_rps=$r
    fi
    if [ -z "$low" ] || awk -v a="$p" -v b="$low_p99" 'BEGIN { exit !(a < b) }'; then
      low=$c low_p99=$p
    fi
  done
  echo "${best:-$low}"
}

if [ "${REPORT_ONLY:-0}" != 1 ]; then
bench_init
build_lobby
start_pg
make_key
start_lobby MESSAGE_RATE_LIMIT_PER_MINUTE=1000000 ACCESS_TOKEN_MINUTES=60

# ---------------------------------------------------------------------------------------------
# Users, rooms, members. User 1 owns every room (private) and adds the other readers/posters;
# the login users are separate accounts (every login adds a session and a refresh token).
STAMP=$(date +%s)
PASSWORD="Bench-Pass-$STAMP-qzx"
TOKENS=() USER_IDS=()
for u in $(seq 1 "$USERS"); do
  body=$(post_json /api/v1/auth/register "{\"email\":\"bench-mixed-$u-$STAMP@example.com\",\"password\":\"$PASSWORD\",\"displayName\":\"Bench $u\"}")
  TOKENS+=("$(echo "$body" | jq -r .accessToken)")
  USER_IDS+=("$(echo "$body" | jq -r .user.id)")
done
EMAILS=()
for u in $(seq 1 "$LOGIN_USERS"); do
  EMAILS+=("bench-mixed-login-$u-$STAMP@example.com")
  post_json /api/v1/auth/register "{\"email\":\"${EMAILS[-1]}\",\"password\":\"$PASSWORD\",\"displayName\":\"Bench Login $u\"}" >/dev/null
done
OWNER=${TOKENS[0]}
ROOM_IDS=()
for r in $(seq 1 "$ROOMS"); do
  id=$(api POST /api/v1/rooms "$OWNER" "{\"name\":\"bench-mixed-$r\",\"topic\":\"bench\",\"visibility\":\"private\"}" | jq -r .id)
  for u in "${USER_IDS[@]:1}"; do
    api POST "/api/v1/rooms/$id/members" "$OWNER" "{\"userId\":\"$u\"}" >/dev/null
  done
  ROOM_IDS+=("$id")
done
# PREFILL messages per room straight in SQL (the rows the API writes: seq 1..N, authors rotating,
# ~100-character bodies), so the messages reads return a full page of 50 from the first request.
UUIDS="ARRAY['$(IFS=,; echo "${USER_IDS[*]}" | sed "s/,/','/g")']::uuid[]"
psql_exec "INSERT INTO messages (id, room_id, seq, author_id, body)
  SELECT gen_random_uuid(), r.id, s, ($UUIDS)[1 + s % $USERS], 'prefill ' || lpad(s::text, 6, '0') || ' ' || repeat('y', 85)
  FROM rooms r CROSS JOIN generate_series(1, $PREFILL) s WHERE r.name LIKE 'bench-mixed-%';
  UPDATE rooms SET last_seq = $PREFILL WHERE name LIKE 'bench-mixed-%'; ANALYZE"
log "$USERS users, $LOGIN_USERS login users, $ROOMS rooms with $PREFILL messages each; mix $MIX"

export BENCH_TOKENS="${TOKENS[*]}" BENCH_ROOMS="${ROOM_IDS[*]}" LOGIN_EMAILS="${EMAILS[*]}" LOGIN_PASSWORD="$PASSWORD"
# Each kind once by hand, so a broken request fails here rather than as non-2xx in every run.
api GET "/api/v1/rooms/${ROOM_IDS[1]}" "${TOKENS[2]}" >/dev/null
[ "$(api GET "/api/v1/rooms/${ROOM_IDS[1]}/messages?limit=50" "${TOKENS[2]}" | jq ".items | length")" = 50 ] || die "expected 50 messages"
api GET /api/v1/users/me "${TOKENS[2]}" >/dev/null
api POST "/api/v1/rooms/${ROOM_IDS[1]}/messages" "${TOKENS[2]}" '{"body":"hello"}' >/dev/null
post_json /api/v1/auth/login "{\"email\":\"${EMAILS[0]}\",\"password\":\"$PASSWORD\"}" >/dev/null

# ---------------------------------------------------------------------------------------------
# Probes: one run of PROBE_DURATION at each connection count.
if [ -z "${LEVEL:-}" ]; then
  warmup 16 mixed.lua /
  for c in $LEVELS; do
    log "probe: $c connections, $PROBE_DURATION"
    measured "probe-c$c" "$c" "$PROBE_DURATION" mixed.lua /
  done
  LEVEL=$(choose_level)
else
  warmup "$LEVEL" mixed.lua /
fi
echo "$LEVEL" >"$BENCH_WORK/runs/.level"
log "holding $LEVEL connections: $HOLD_RUNS x $HOLD_DURATION"

# ---------------------------------------------------------------------------------------------
# Holds at the chosen level.
for i in $(seq 1 "$HOLD_RUNS"); do
  log "hold $i/$HOLD_RUNS"
  measured hold "$LEVEL" "$HOLD_DURATION" mixed.lua /
done

# Integrity after the writes: every room's messages are numbered 1..last_seq with no gap.
psql_exec "DO \$\$ BEGIN IF EXISTS (
  SELECT 1 FROM rooms r LEFT JOIN (SELECT room_id, count(*) n, max(seq) mx FROM messages GROUP BY room_id) m ON m.room_id = r.id
  WHERE coalesce(m.n, 0) <> r.last_seq OR coalesce(m.mx, 0) <> r.last_seq) THEN RAISE EXCEPTION 'seq gap or mismatch'; END IF; END \$\$"
log "integrity: every room numbered 1..last_seq without gaps"
stop_lobby
fi

# ---------------------------------------------------------------------------------------------
# Report

LEVEL=$(cat "$BENCH_WORK/runs/.level")
disturbed_of() { [ -f "$BENCH_WORK/runs/$1.disturbed" ] && wc -l <"$BENCH_WORK/runs/$1.disturbed" | tr -d ' ' || echo 0; }

row() { # row LABEL CONNS SCENARIO NOTE
  local s=$3
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (%s set aside) | %s |\n' "$1" "$2" \
    "$(fmt "$(med_of "$s" rps)" 1)" "$(fmt "$(med_of "$s" p50_ms)" 2)" "$(fmt "$(med_of "$s" p90_ms)" 2)" "$(fmt "$(med_of "$s" p99_ms)" 2)" \
    "$(fmt "$(med_of "$s" server_cores)" 2)" "$(total "$s" non2xx)" "$(errors_of "$s")" "$(maximum "$s" foreign_cpu_pct)%" "$(disturbed_of "$s")" "$4"
}

HOLD_RPS=$(med_of hold rps)
HOLD_P99=$(med_of hold p99_ms)
HOLD_NON2XX=$(total hold non2xx)
HOLD_ERRORS=$(errors_of hold)
HOLD_REQUESTS=$(total hold requests)
if [ "$HOLD_NON2XX" -eq 0 ] && [ "$HOLD_ERRORS" -eq 0 ] && awk -v p="$HOLD_P99" -v t="$P99_TARGET_MS" 'BEGIN { exit !(p < t) }'; then
  VERDICT="**met**: $HOLD_RUNS × $HOLD_DURATION at $LEVEL connections, median $(fmt "$HOLD_RPS" 1) requests/s, p99 $(fmt "$HOLD_P99" 2) ms < $P99_TARGET_MS ms, 0 non-2xx, 0 socket errors"
else
  VERDICT="**not met**: median p99 $(fmt "$HOLD_P99" 2) ms (target < $P99_TARGET_MS ms), $HOLD_NON2XX non-2xx, $HOLD_ERRORS socket errors over the holds at $LEVEL connections"
fi

report_context
RESULT=$(result_file mixed)

{
  echo "# Lobby mixed-load benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- Commit: $COMMIT; Release publish, \`ASPNETCORE_ENVIRONMENT=Production\`, \`LOG_LEVEL=Warning\`, \`MESSAGE_RATE_LIMIT_PER_MINUTE=1000000\`, \`AUTH_RATE_LIMIT_PER_IP\`/\`_PER_EMAIL=1000000\`, \`ACCESS_TOKEN_MINUTES=60\`"
  echo "- Machine: $NCPU × $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"); wrk, Lobby and PostgreSQL on the same box"
  echo "- $(dotnet --version | sed 's/^/.NET SDK /'), $PGVER, $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
  echo "- Mix per request (\`bench/lua/mixed.lua\`): \`$MIX\` (room = GET /rooms/{id}, messages = GET /rooms/{id}/messages?limit=50, me = GET /users/me, post = POST /rooms/{id}/messages, login = POST /auth/login), kinds interleaved evenly"
  echo "- Data: $USERS users (members of every room) × $ROOMS private rooms ($PREFILL messages each at the start) for reads and posts; $LOGIN_USERS separate login users"
  echo "- Method: one $PROBE_DURATION probe per connection count ($LEVELS, wrk -t2, after a $WARMUP warm-up); the level with the most requests/s among those with p99 < $P99_TARGET_MS ms and no errors is held $HOLD_RUNS × $HOLD_DURATION; runs with more than $FOREIGN_RERUN% foreign CPU are set aside and repeated once"
  echo
  echo "| Run | Conns | Requests/s | p50 ms | p90 ms | p99 ms | Lobby+PG cores | Non-2xx | Socket errors | Foreign CPU (max) | Note |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for c in $LEVELS; do
    s=probe-c$c
    [ -f "$BENCH_WORK/runs/$s" ] || continue
    note="p99 ≥ $P99_TARGET_MS ms"
    qualifies "$s" && note="p99 < $P99_TARGET_MS ms"
    [ "$c" != "$LEVEL" ] || note="$note; **chosen**"
    row "probe $PROBE_DURATION" "$c" "$s" "$note"
  done
  row "**hold $HOLD_DURATION, median of $(runs_of hold)**" "$LEVEL" hold "$(printf '%s requests in all' "$HOLD_REQUESTS")"
  echo
  echo "- Target (p99 < $P99_TARGET_MS ms over $HOLD_DURATION, 0 errors): $VERDICT."
  echo "- Hold runs (requests/s, p99 ms): $(field rps <"$BENCH_WORK/runs/hold" | paste -sd' ' | sed 's/ /, /g'); $(field p99_ms <"$BENCH_WORK/runs/hold" | paste -sd' ' | sed 's/ /, /g')."
  echo "- Lobby+PG cores: CPU Lobby and PostgreSQL used during the run (median; the box has $NCPU). Foreign CPU: share of the box used by processes other than wrk, Lobby and PostgreSQL."
  echo "- wrk is closed-loop: each connection sends its next request when the last is answered, so the connection count sets the offered load and the latency is measured under it."
  echo
  echo "<details><summary>Raw runs</summary>"
  echo
  echo '```'
  for s in $(for c in $LEVELS; do echo "probe-c$c"; done) hold; do
    [ ! -f "$BENCH_WORK/runs/$s" ] || sed "s/^BENCH /$s /" "$BENCH_WORK/runs/$s"
    [ ! -f "$BENCH_WORK/runs/$s.disturbed" ] || sed "s/^BENCH /$s (set aside) /" "$BENCH_WORK/runs/$s.disturbed"
  done
  echo '```'
  echo
  echo "</details>"
} | tee "$RESULT"
log "written to $RESULT"
[ "$HOLD_NON2XX" -eq 0 ] && [ "$HOLD_ERRORS" -eq 0 ] || log "WARNING: $HOLD_NON2XX non-2xx responses and $HOLD_ERRORS socket errors in the holds: results are not valid"
