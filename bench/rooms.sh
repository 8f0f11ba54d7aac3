#!/usr/bin/env bash
# Rooms benchmarks: read a room, read its latest 50 messages, post messages (spread over 8 users
# x 8 rooms, and into one room), each next to peers measured in the same run: GET /health/live
# (the in-process ceiling) and pgbench running the same SQL straight against PostgreSQL.
#
#   bash bench/rooms.sh                      # RUNS=5 DURATION=10s WARMUP=3s
#   RUNS=3 DURATION=5s bash bench/rooms.sh   # quicker, noisier
#   REPORT_ONLY=1 bash bench/rooms.sh        # only rebuild the report from the last run's raw results
#
# Builds Lobby (Release), starts its own PostgreSQL cluster and Lobby (Production) on
# 127.0.0.1:8089, stops them again on exit. Prints a markdown table and writes it to
# bench/results/rooms-<date>.md. See bench/README.md.
#
# Extra settings: CONNS=32 (wrk connections and pgbench clients), USERS=8, ROOMS=8,
# PREFILL=1200 (messages in the read room), FOREIGN_RERUN=30 (a run during which other processes
# took more than this % of the box is set aside and repeated once; 0 = never).
set -euo pipefail
MAX_WRK_RUNS=${MAX_WRK_RUNS:-150} # up to 6 warm-ups + 11 scenarios x RUNS, each possibly repeated once
source "$(dirname "$0")/lib.sh"

CONNS=${CONNS:-32}
USERS=${USERS:-8}
ROOMS=${ROOMS:-8}
PREFILL=${PREFILL:-1200}
SECS=$(to_seconds "$DURATION")

if [ "${REPORT_ONLY:-0}" != 1 ]; then
[ -n "$PGBENCH" ] || die "pgbench not found (it ships with the PostgreSQL server binaries)"
bench_init
build_lobby
start_pg
make_key
start_lobby MESSAGE_RATE_LIMIT_PER_MINUTE=1000000 ACCESS_TOKEN_MINUTES=60

# ---------------------------------------------------------------------------------------------
# Users, rooms, members. User 1 owns every room (private) and adds the others.
STAMP=$(date +%s)
TOKENS=() USER_IDS=()
for u in $(seq 1 "$USERS"); do
  body=$(post_json /api/v1/auth/register "{\"email\":\"bench-rooms-$u-$STAMP@example.com\",\"password\":\"Bench-Pass-$STAMP-qzx\",\"displayName\":\"Bench $u\"}")
  TOKENS+=("$(echo "$body" | jq -r .accessToken)")
  USER_IDS+=("$(echo "$body" | jq -r .user.id)")
done
OWNER=${TOKENS[0]}
new_room() {
  local id u
  id=$(api POST /api/v1/rooms "$OWNER" "{\"name\":\"$1\",\"topic\":\"bench\",\"visibility\":\"private\"}" | jq -r .id)
  for u in "${USER_IDS[@]:1}"; do
    api POST "/api/v1/rooms/$id/members" "$OWNER" "{\"userId\":\"$u\"}" >/dev/null
  done
  echo "$id"
}
READ_ROOM=$(new_room "bench-read")
WRITE_ROOMS=()
for r in $(seq 1 "$ROOMS"); do WRITE_ROOMS+=("$(new_room "bench-write-$r")"); done
SINGLE_ROOM=$(new_room "bench-single")
log "$USERS users; read room $READ_ROOM; $ROOMS write rooms; single room $SINGLE_ROOM"

# The read room gets PREFILL messages straight in SQL (same rows the API writes: seq 1..N,
# authors rotating over the users, ~100-character bodies), and its counter to match.
psql_exec "INSERT INTO messages (id, room_id, seq, author_id, body)
  SELECT gen_random_uuid(), '$READ_ROOM', s, (ARRAY['$(IFS=,; echo "${USER_IDS[*]}" | sed "s/,/','/g")']::uuid[])[1 + s % $USERS],
         'prefill ' || lpad(s::text, 6, '0') || ' ' || repeat('y', 85)
  FROM generate_series(1, $PREFILL) s;
  UPDATE rooms SET last_seq = $PREFILL WHERE id = '$READ_ROOM'; ANALYZE"
COUNT=$(api GET "/api/v1/rooms/$READ_ROOM/messages?limit=50" "${TOKENS[1]}" | jq ".items | length")
[ "$COUNT" = 50 ] || die "expected 50 messages from the read room, got $COUNT"

export BENCH_TOKEN=${TOKENS[1]} # a member (not the owner) reads
export BENCH_TOKENS="${TOKENS[*]}"
api POST "/api/v1/rooms/${WRITE_ROOMS[0]}/messages" "${TOKENS[2]}" '{"body":"hello"}' >/dev/null

# pgbench scripts: the reads take the same member and room as -D variables; the writes get one
# script per (user, room) pair, picked at random per transaction.
PGS="$BENCH_WORK/pgbench"
rm -rf "$PGS" && mkdir -p "$PGS/spread" "$PGS/single"
PG_READ_VARS=(-D "room=$READ_ROOM" -D "user=${USER_IDS[1]}")
PG_SPREAD=() PG_SINGLE=()
for u in "${USER_IDS[@]}"; do
  for r in "${WRITE_ROOMS[@]}"; do
    f="$PGS/spread/$r-$u.sql"
    sed -e "s/@ROOM@/$r/g" -e "s/@USER@/$u/g" "$BENCH_DIR/pgbench/post_message.sql.in" >"$f"
    PG_SPREAD+=(-f "$f@1")
  done
  f="$PGS/single/$u.sql"
  sed -e "s/@ROOM@/$SINGLE_ROOM/g" -e "s/@USER@/$u/g" "$BENCH_DIR/pgbench/post_message.sql.in" >"$f"
  PG_SINGLE+=(-f "$f@1")
done
WARM_SECS=$(to_seconds "$WARMUP")

# ---------------------------------------------------------------------------------------------
# Reads, interleaved run by run with /health/live and the pgbench reads.
warmup "$CONNS" room_get.lua "/api/v1/rooms/$READ_ROOM"
warmup "$CONNS" room_get.lua "/api/v1/rooms/$READ_ROOM/messages?limit=50"
warmup "$CONNS" get.lua /health/live
count_wrk_run
(cd "$BENCH_WORK" && "$PGBENCH" -n -M prepared -c "$CONNS" -j 2 -T "$WARM_SECS" -f "$BENCH_DIR/pgbench/messages_get.sql" "${PG_READ_VARS[@]}" "$DATABASE_URL" >/dev/null 2>&1) || die "pgbench warm-up failed"
for i in $(seq 1 "$RUNS"); do
  log "reads round $i/$RUNS"
  measured wrk_run get-room "$CONNS" "$DURATION" room_get.lua "/api/v1/rooms/$READ_ROOM"
  measured pgbench_run pg-get-room "$SECS" "$CONNS" -f "$BENCH_DIR/pgbench/room_get.sql" "${PG_READ_VARS[@]}"
  measured wrk_run get-messages "$CONNS" "$DURATION" room_get.lua "/api/v1/rooms/$READ_ROOM/messages?limit=50"
  measured pgbench_run pg-get-messages "$SECS" "$CONNS" -f "$BENCH_DIR/pgbench/messages_get.sql" "${PG_READ_VARS[@]}"
  measured wrk_run live "$CONNS" "$DURATION" get.lua /health/live
done

# ---------------------------------------------------------------------------------------------
# Writes: spread over USERS x ROOMS pairs, then one room with USERS writers; pgbench peers.
export BENCH_ROOMS="${WRITE_ROOMS[*]}"
warmup "$CONNS" post_message.lua /
count_wrk_run
(cd "$BENCH_WORK" && "$PGBENCH" -n -M prepared -c "$CONNS" -j 2 -T "$WARM_SECS" "${PG_SPREAD[@]}" "$DATABASE_URL" >/dev/null 2>&1) || die "pgbench warm-up failed"
for i in $(seq 1 "$RUNS"); do
  log "writes round $i/$RUNS"
  BENCH_ROOMS="${WRITE_ROOMS[*]}" measured wrk_run post-spread "$CONNS" "$DURATION" post_message.lua /
  measured pgbench_run pg-post-spread "$SECS" "$CONNS" "${PG_SPREAD[@]}"
  measured pgbench_run pg-post-spread-c$ROOMS "$SECS" "$ROOMS" "${PG_SPREAD[@]}"
  BENCH_ROOMS="$SINGLE_ROOM" measured wrk_run post-single "$CONNS" "$DURATION" post_message.lua /
  measured pgbench_run pg-post-single "$SECS" "$CONNS" "${PG_SINGLE[@]}"
  measured pgbench_run pg-post-single-c1 "$SECS" 1 "${PG_SINGLE[@]}"
done

# Integrity after the floods: every room's messages are numbered 1..last_seq with no gap.
psql_exec "DO \$\$ BEGIN IF EXISTS (
  SELECT 1 FROM rooms r LEFT JOIN (SELECT room_id, count(*) n, max(seq) mx FROM messages GROUP BY room_id) m ON m.room_id = r.id
  WHERE coalesce(m.n, 0) <> r.last_seq OR coalesce(m.mx, 0) <> r.last_seq) THEN RAISE EXCEPTION 'seq gap or mismatch'; END IF; END \$\$"
log "integrity: every room numbered 1..last_seq without gaps"
psql_exec "SELECT 1" # keep the cluster answering
TOTAL_MESSAGES=$("$(command -v psql)" -X -At "$DATABASE_URL" -c "SELECT count(*) FROM messages")
echo "$TOTAL_MESSAGES" >"$BENCH_WORK/runs/.messages"
stop_lobby
fi

# ---------------------------------------------------------------------------------------------
# Report

errors_of() { echo $(($(total "$1" connect_err) + $(total "$1" read_err) + $(total "$1" write_err) + $(total "$1" timeouts))); }
disturbed_of() { [ -f "$BENCH_WORK/runs/$1.disturbed" ] && wc -l <"$BENCH_WORK/runs/$1.disturbed" | tr -d ' ' || echo 0; }

row() { # row LABEL SCENARIO RATIO [CONNS]
  local s=$2
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (%s set aside) |\n' "$1" "${4:-$CONNS}" \
    "$(fmt "$(med_of "$s" rps)" 1)" "$(fmt "$(med_of "$s" p50_ms)" 2)" "$(fmt "$(med_of "$s" p90_ms)" 2)" "$(fmt "$(med_of "$s" p99_ms)" 2)" \
    "$3" "$(fmt "$(med_of "$s" server_cores)" 2)" "$(total "$s" non2xx)" "$(errors_of "$s")" "$(maximum "$s" foreign_cpu_pct)%" "$(disturbed_of "$s")"
}

R=$(med_of get-room rps); PR=$(med_of pg-get-room rps)
M=$(med_of get-messages rps); PM=$(med_of pg-get-messages rps)
L=$(med_of live rps)
PS=$(med_of post-spread rps); PPS=$(med_of pg-post-spread rps)
P1=$(med_of post-single rps); PP1=$(med_of pg-post-single rps)
ALL="get-room pg-get-room get-messages pg-get-messages live post-spread pg-post-spread pg-post-spread-c$ROOMS post-single pg-post-single pg-post-single-c1"
PPS8=$(med_of "pg-post-spread-c$ROOMS" rps); PP11=$(med_of pg-post-single-c1 rps)
NON2XX=0 ERRORS=0
for s in $ALL; do
  NON2XX=$((NON2XX + $(total "$s" non2xx)))
  ERRORS=$((ERRORS + $(errors_of "$s")))
done

report_context
RESULT=$(result_file rooms)

{
  echo "# Lobby rooms benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- Commit: $COMMIT; Release publish, \`ASPNETCORE_ENVIRONMENT=Production\`, \`LOG_LEVEL=Warning\`, \`MESSAGE_RATE_LIMIT_PER_MINUTE=1000000\`, \`ACCESS_TOKEN_MINUTES=60\`"
  echo "- Machine: $NCPU × $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"); load generator, Lobby and PostgreSQL on the same box"
  echo "- $(dotnet --version | sed 's/^/.NET SDK /'), $PGVER, $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $("$PGBENCH" --version)"
  echo "- Each row: median of $RUNS runs of $DURATION after a $WARMUP warm-up, $CONNS connections (wrk -t2 -c$CONNS; pgbench -c$CONNS -j2 -M prepared); subjects and peers interleaved run by run"
  echo "- Data: $USERS users; the read room holds $PREFILL messages; writes go to $ROOMS rooms × $USERS users (spread) or one room × $USERS users (single)"
  echo
  echo "| Scenario | Conns | Requests/s | p50 ms | p90 ms | p99 ms | Compared with | Lobby+PG cores | Non-2xx / failed | Socket errors | Foreign CPU (max) |"
  echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
  row "GET /rooms/{id} (member)" get-room "$(ratio_pct "$R" "$PR") of pgbench; $(ratio_pct "$R" "$L") of /health/live"
  row "pgbench: room + membership SELECT (peer)" pg-get-room "100%"
  row "GET /rooms/{id}/messages?limit=50" get-messages "$(ratio_pct "$M" "$PM") of pgbench; $(ratio_pct "$M" "$L") of /health/live"
  row "pgbench: room SELECT + 50 messages (peer)" pg-get-messages "100%"
  row "GET /health/live (peer)" live "100%"
  row "POST /rooms/{id}/messages, $USERS users × $ROOMS rooms" post-spread "$(ratio_pct "$PS" "$PPS") of pgbench at $CONNS clients; $(ratio_pct "$PS" "$PPS8") of pgbench at $ROOMS"
  row "pgbench: post transaction, $USERS × $ROOMS (peer)" pg-post-spread "100%"
  row "pgbench: post transaction, $USERS × $ROOMS, $ROOMS clients (peer)" "pg-post-spread-c$ROOMS" "-" "$ROOMS"
  row "POST /rooms/{id}/messages, 1 room, $USERS users" post-single "$(ratio_pct "$P1" "$PP1") of pgbench at $CONNS clients; $(ratio_pct "$P1" "$PP11") of pgbench at 1; $(ratio_pct "$P1" "$PS") of the spread rate"
  row "pgbench: post transaction, 1 room (peer)" pg-post-single "100%; $(ratio_pct "$PP1" "$PPS") of pgbench spread"
  row "pgbench: post transaction, 1 room, 1 client (peer)" pg-post-single-c1 "-" 1
  echo
  echo "- Validity: $NON2XX non-2xx responses / failed transactions and $ERRORS socket errors/timeouts over all counted runs (must be 0)."
  echo "- Lobby+PG cores: CPU used by Lobby and PostgreSQL during the run (median, in cores of $NCPU); for pgbench rows Lobby is idle, so it is PostgreSQL's."
  echo "- Foreign CPU: share of the box used by processes other than the load generator, Lobby and PostgreSQL; runs above ${FOREIGN_RERUN}% were set aside and repeated once (the repeat counts whatever its value)."
  [ ! -f "$BENCH_WORK/runs/.messages" ] || echo "- After the write runs the database held $(cat "$BENCH_WORK/runs/.messages") messages; every room was numbered 1..last_seq without a gap."
  echo
  echo "<details><summary>Raw runs</summary>"
  echo
  echo '```'
  for s in $ALL; do
    sed "s/^BENCH /$s /" "$BENCH_WORK/runs/$s"
    [ ! -f "$BENCH_WORK/runs/$s.disturbed" ] || sed "s/^BENCH /$s (set aside) /" "$BENCH_WORK/runs/$s.disturbed"
  done
  echo '```'
  echo
  echo "</details>"
} | tee "$RESULT"
log "written to $RESULT"
[ "$NON2XX" -eq 0 ] && [ "$ERRORS" -eq 0 ] || log "WARNING: $NON2XX non-2xx responses and $ERRORS socket errors: results are not valid"
