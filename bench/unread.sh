#!/usr/bin/env bash
# Unread-aware room list (issue 17): GET /api/v1/rooms?mine=true&limit=50 for a user in ROOMS (200)
# rooms of MESSAGES (10,000) messages each, under load, next to peers measured in the same run:
# the same request for a user in ROOMS rooms with no messages (cost independent of room size), and
# pgbench running the list SQL of today (RoomQueries.List, read state = rooms.last_seq -
# room_members.last_read_seq) against the list SQL before read state (commit 2ce1e5f) on the same
# database with the same clients. While every scenario runs, a bounded background writer posts
# WRITE_RATE (20) messages a second over HTTP into the user's rooms, so the unread counts move.
#
#   bash bench/unread.sh                                     # RUNS=3 DURATION=10s WARMUP=3s: ~6 minutes plus waits for the CPU lock
#   ROOMS=10 MESSAGES=100 RUNS=1 DURATION=2s WARMUP=1s bash bench/unread.sh   # smoke test
#   REPORT_ONLY=1 bash bench/unread.sh                       # rebuild the report from $BENCH_WORK/runs
#
# Builds Lobby (Release), starts its own PostgreSQL cluster and Lobby (Production) on
# 127.0.0.1:$BENCH_PORT, stops them on exit. Users are registered through the API (so they can
# sign in); rooms, memberships, read state and messages are seeded straight in SQL
# (generate_series): user U is a member of ROOMS private rooms holding MESSAGES messages each
# (seq 1..MESSAGES, gap-free, rooms.last_seq to match) with varied last_read_seq; user E of ROOMS
# private rooms with none; WRITERS users own or belong to U's rooms and author the messages.
# Each round holds the shared CPU lock (/tmp/lobby-cpu.lock) and runs, interleaved (order
# reversed every other round), with the writer going:
#   list-u          wrk GET /api/v1/rooms?mine=true&limit=50 as U
#   list-e          the same as E (empty rooms)
#   pg-list-u       pgbench bench/pgbench/rooms_list.sql (today's List SQL) for U
#   pg-list-u-pre17 pgbench bench/pgbench/rooms_list_pre17.sql (List SQL at 2ce1e5f) for U
#   pg-list-u-unread pgbench bench/pgbench/rooms_list_pre17_unread.sql (2ce1e5f SQL + only the read-state columns) for U
#   pg-list-e       pgbench rooms_list.sql for E
#   get-room        wrk GET /api/v1/rooms/{id} as U, one of U's rooms
# Afterwards: every room numbered 1..last_seq without a gap, and the unreadCount the endpoint
# returns for each of U's rooms (every page) equals last_seq - last_read_seq in SQL and, for a
# sample of rooms, a COUNT over the messages above last_read_seq. Writes bench/results/unread-<date>.md.
#
# Extra settings: CONNS=32 (wrk connections and pgbench clients), ROOMS=200, MESSAGES=10000,
# WRITERS=4, WRITE_RATE=20 (posts/s, target), WRITE_CONNS=4 (writer connections; each pauses
# WRITE_CONNS*1000/WRITE_RATE ms after every answer), FOREIGN_RERUN=30, CPU_LOCK, CPU_LOCK_WAIT.
set -euo pipefail
RUNS=${RUNS:-3}
MAX_WRK_RUNS=${MAX_WRK_RUNS:-80} # 6 warm-ups + 7 scenarios x RUNS (each possibly repeated) + RUNS writers
source "$(dirname "$0")/lib.sh"

CONNS=${CONNS:-32}
ROOMS=${ROOMS:-200}
MESSAGES=${MESSAGES:-10000}
WRITERS=${WRITERS:-4}
WRITE_RATE=${WRITE_RATE:-20}
WRITE_CONNS=${WRITE_CONNS:-4}
WRITE_DELAY_MS=$((WRITE_CONNS * 1000 / WRITE_RATE))
SECS=$(to_seconds "$DURATION")
SCENARIOS="list-u list-e pg-list-u pg-list-u-pre17 pg-list-u-unread pg-list-e get-room"
LIST_PATH="/api/v1/rooms?mine=true&limit=50"
WRITER_PID=""

# The background writer: wrk, WRITE_CONNS connections, paced by bench/lua/post_paced.lua, over
# WRITERS users x U's rooms. Bounded by -d (the longest a round can take) and stopped with SIGINT
# at the end of the round, on which wrk prints its summary (requests, rate, errors) as usual.
# Its pid is in EXTRA_PIDS, so its CPU counts as the benchmark's, not as foreign.
start_writer() {
  count_wrk_run
  local bound=$(( (RUNS_PER_ROUND * 2) * (SECS + IDLE_WAIT + 15) + 60 ))
  BENCH_TOKENS="${W_TOKENS[*]}" BENCH_ROOMS="${U_ROOMS[*]}" BENCH_DELAY_MS=$WRITE_DELAY_MS \
    wrk -t1 -c"$WRITE_CONNS" -d"${bound}s" --timeout 10s -s "$BENCH_DIR/lua/post_paced.lua" "$BASE_URL/" \
    >"$BENCH_WORK/runs/.writer" 2>&1 9>&- &
  WRITER_PID=$!
  BG_PIDS+=("$WRITER_PID")
  EXTRA_PIDS+=("$WRITER_PID")
  sleep 1
}

stop_writer() {
  [ -n "$WRITER_PID" ] || return 0
  kill -INT "$WRITER_PID" 2>/dev/null || true
  wait "$WRITER_PID" 2>/dev/null || true
  EXTRA_PIDS=()
  WRITER_PID=""
  local line
  line=$(grep '^BENCH ' "$BENCH_WORK/runs/.writer" || true)
  [ -n "$line" ] || { cat "$BENCH_WORK/runs/.writer" >&2; die "the writer printed no BENCH line"; }
  echo "$line" >>"$BENCH_WORK/runs/writer"
  log "writer: $(echo "$line" | cut -d' ' -f2-)"
}

# unread_check LABEL: U's list over HTTP (every page) against SQL; appends to runs/.check.
unread_check() {
  local label=$1 cursor="" page body n=0 bad=0 sumapi=0
  : >"$BENCH_WORK/runs/.api-unread"
  for page in $(seq 1 $((ROOMS / 50 + 2))); do
    body=$(api GET "$LIST_PATH${cursor:+&cursor=$cursor}" "$U_TOKEN")
    echo "$body" | jq -r '.items[] | "\(.id) \(.unreadCount) \(.lastReadSeq) \(.lastSeq)"' >>"$BENCH_WORK/runs/.api-unread"
    cursor=$(echo "$body" | jq -r '.nextCursor // empty')
    [ -n "$cursor" ] || break
  done
  psql_q "SELECT r.id, r.last_seq - m.last_read_seq, m.last_read_seq, r.last_seq FROM rooms r JOIN room_members m ON m.room_id = r.id
    WHERE m.user_id = '$U_ID' AND r.kind = 'room' ORDER BY r.id DESC" | tr '|' ' ' >"$BENCH_WORK/runs/.sql-unread"
  n=$(wc -l <"$BENCH_WORK/runs/.api-unread" | tr -d ' ')
  bad=$(diff "$BENCH_WORK/runs/.api-unread" "$BENCH_WORK/runs/.sql-unread" | grep -c '^[<>]' || true)
  sumapi=$(awk '{ s += $2 } END { print s + 0 }' "$BENCH_WORK/runs/.api-unread")
  echo "$label: $n of U's rooms listed over HTTP (all pages), $bad lines differ from SQL (last_seq - last_read_seq per room, same order); total unread $sumapi" >>"$BENCH_WORK/runs/.check"
  log "unread check ($label): $n rooms, $bad differing lines, total unread $sumapi"
  echo "$sumapi"
}

if [ "${REPORT_ONLY:-0}" != 1 ]; then
[ -n "$PGBENCH" ] || die "pgbench not found (it ships with the PostgreSQL server binaries)"
command -v jq >/dev/null || die "jq not found"
[ "$ROOMS" -ge 1 ] && [ "$MESSAGES" -ge 1 ] && [ "$WRITERS" -ge 1 ] || die "ROOMS, MESSAGES and WRITERS must be at least 1"
bench_init
build_lobby
start_pg
make_key
start_lobby MESSAGE_RATE_LIMIT_PER_MINUTE=1000000 ACCESS_TOKEN_MINUTES=60

# ---------------------------------------------------------------------------------------------
# Users through the API: U (the reader in big rooms), E (the reader in empty rooms), writers.
STAMP=$(date +%s)
register() { # register NAME: prints "token id"
  post_json /api/v1/auth/register "{\"email\":\"bench-unread-$1-$STAMP@example.com\",\"password\":\"Bench-Pass-$STAMP-qzx\",\"displayName\":\"Unread $1\"}" \
    | jq -r '"\(.accessToken) \(.user.id)"'
}
read -r U_TOKEN U_ID <<<"$(register u)"
read -r E_TOKEN E_ID <<<"$(register e)"
W_TOKENS=() W_IDS=()
for w in $(seq 1 "$WRITERS"); do
  read -r t id <<<"$(register "w$w")"
  W_TOKENS+=("$t") W_IDS+=("$id")
done
W_ARRAY="ARRAY['$(IFS=,; echo "${W_IDS[*]}" | sed "s/,/','/g")']::uuid[]"

# Rooms, members and messages straight in SQL, under the CPU lock. Room ids from
# lobby_uuid_v7() like Lobby's (newest first = creation order); U's and E's rooms are created
# alternately, so the newest-first scan of either user's first page passes as many of the other's
# rooms (about 50) and the two lists differ only in their rooms' messages. U's read position in room n
# (n = 1..ROOMS by id): every 10th room fully read, every 10th + 1 nothing read, the rest spread
# over 0..MESSAGES, so unread counts differ from room to room. Writer 1 owns every room.
cpu_lock "seed"
T_SEED=$SECONDS
log "seeding $ROOMS rooms x $MESSAGES messages for U, $ROOMS empty rooms for E"
psql_exec "
  INSERT INTO rooms (id, name, topic, visibility, owner_id, last_seq)
  SELECT lobby_uuid_v7(), CASE WHEN i % 2 = 1 THEN 'unread-u-' ELSE 'unread-e-' END || lpad(((i + 1) / 2)::text, 4, '0'),
         'bench', 'private', '${W_IDS[0]}', CASE WHEN i % 2 = 1 THEN $MESSAGES ELSE 0 END
  FROM generate_series(1, 2 * $ROOMS) i ORDER BY i;
  INSERT INTO room_members (room_id, user_id, role, last_read_seq)
  SELECT r.id, w.id, CASE WHEN w.n = 1 THEN 'owner' ELSE 'member' END, r.last_seq
  FROM rooms r, unnest($W_ARRAY) WITH ORDINALITY AS w(id, n) WHERE r.name LIKE 'unread-%';
  INSERT INTO room_members (room_id, user_id, role, last_read_seq)
  SELECT id, '$U_ID', 'member',
         CASE WHEN n % 10 = 0 THEN $MESSAGES WHEN n % 10 = 1 THEN 0 ELSE (n * 7919) % ($MESSAGES + 1) END
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM rooms WHERE name LIKE 'unread-u-%') r;
  INSERT INTO room_members (room_id, user_id, role) SELECT id, '$E_ID', 'member' FROM rooms WHERE name LIKE 'unread-e-%';
  INSERT INTO messages (id, room_id, seq, author_id, body, created_at)
  SELECT gen_random_uuid(), r.id, s, ($W_ARRAY)[1 + s % $WRITERS],
         'seed ' || lpad(s::text, 6, '0') || ' ' || repeat('y', 88), now() - make_interval(secs => ($MESSAGES - s) * 30)
  FROM (SELECT id FROM rooms WHERE name LIKE 'unread-u-%' ORDER BY id) r, LATERAL generate_series(1, $MESSAGES) s"
psql_exec "VACUUM ANALYZE rooms"
psql_exec "VACUUM ANALYZE room_members"
psql_exec "VACUUM ANALYZE messages"
cpu_unlock
SEED_SECS=$((SECONDS - T_SEED))
log "seeded in ${SEED_SECS}s: $(psql_q "SELECT count(*) FROM messages") messages, $(psql_q "SELECT pg_size_pretty(pg_total_relation_size('messages'))") with indexes"

mapfile -t U_ROOMS < <(psql_q "SELECT id FROM rooms WHERE name LIKE 'unread-u-%' ORDER BY id")
[ "${#U_ROOMS[@]}" = "$ROOMS" ] || die "expected $ROOMS rooms for U"
GET_ROOM=${U_ROOMS[$((ROOMS / 2))]}
FIRST=$(api GET "$LIST_PATH" "$U_TOKEN" | jq '.items | length')
WANT=$((ROOMS < 50 ? ROOMS : 50))
[ "$FIRST" = "$WANT" ] || die "expected $WANT rooms on U's first page, got $FIRST"
[ "$(api GET "$LIST_PATH" "$E_TOKEN" | jq '.items | length')" = "$WANT" ] || die "expected $WANT rooms on E's first page"
[ "$(api GET "/api/v1/rooms/$GET_ROOM" "$U_TOKEN" | jq -r .lastSeq)" = "$MESSAGES" ] || die "room $GET_ROOM: lastSeq is not $MESSAGES"
: >"$BENCH_WORK/runs/.check"
UNREAD_BEFORE=$(unread_check "before the runs")
{
  echo "$ROOMS $MESSAGES $WRITERS $WRITE_RATE $WRITE_CONNS $WRITE_DELAY_MS $SEED_SECS"
} >"$BENCH_WORK/runs/.setup"
# The plans of the two list queries for U with the values inlined (custom plans), for the report.
for q in rooms_list rooms_list_pre17 rooms_list_pre17_unread; do
  sed -e "s/:user::uuid/'$U_ID'::uuid/g" -e "s/NOT :mine/NOT true/" -e "s/LIKE :prefix/LIKE '%'/" -e "s/LIMIT :take/LIMIT 51/" \
    "$BENCH_DIR/pgbench/$q.sql" | grep -v '^--' >"$BENCH_WORK/$q.explain.sql"
  psql_q "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) $(cat "$BENCH_WORK/$q.explain.sql")" >"$BENCH_WORK/runs/.plan-$q"
done
sed -i "s/$U_ID/$E_ID/g" "$BENCH_WORK/rooms_list.explain.sql"
psql_q "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) $(cat "$BENCH_WORK/rooms_list.explain.sql")" >"$BENCH_WORK/runs/.plan-rooms_list-e"

# ---------------------------------------------------------------------------------------------
# Runs. Each round: the writer, then the scenarios in order (reversed in even rounds).
PG_U=(-D "user=$U_ID" -D "prefix=%" -D "mine=true" -D "take=51")
PG_E=(-D "user=$E_ID" -D "prefix=%" -D "mine=true" -D "take=51")
RUNS_PER_ROUND=7
WARM_SECS=$(to_seconds "$WARMUP")

run_scenario() {
  case $1 in
    list-u) BENCH_TOKEN=$U_TOKEN measured wrk_run list-u "$CONNS" "$DURATION" room_get.lua "$LIST_PATH" ;;
    list-e) BENCH_TOKEN=$E_TOKEN measured wrk_run list-e "$CONNS" "$DURATION" room_get.lua "$LIST_PATH" ;;
    pg-list-u) measured pgbench_run pg-list-u "$SECS" "$CONNS" -f "$BENCH_DIR/pgbench/rooms_list.sql" "${PG_U[@]}" ;;
    pg-list-u-pre17) measured pgbench_run pg-list-u-pre17 "$SECS" "$CONNS" -f "$BENCH_DIR/pgbench/rooms_list_pre17.sql" "${PG_U[@]}" ;;
    pg-list-u-unread) measured pgbench_run pg-list-u-unread "$SECS" "$CONNS" -f "$BENCH_DIR/pgbench/rooms_list_pre17_unread.sql" "${PG_U[@]}" ;;
    pg-list-e) measured pgbench_run pg-list-e "$SECS" "$CONNS" -f "$BENCH_DIR/pgbench/rooms_list.sql" "${PG_E[@]}" ;;
    get-room) BENCH_TOKEN=$U_TOKEN measured wrk_run get-room "$CONNS" "$DURATION" room_get.lua "/api/v1/rooms/$GET_ROOM" ;;
  esac
}
export BENCH_TOKEN

cpu_lock "warm-up"
BENCH_TOKEN=$U_TOKEN warmup "$CONNS" room_get.lua "$LIST_PATH"
BENCH_TOKEN=$E_TOKEN warmup "$CONNS" room_get.lua "$LIST_PATH"
BENCH_TOKEN=$U_TOKEN warmup "$CONNS" room_get.lua "/api/v1/rooms/$GET_ROOM"
for f in rooms_list rooms_list_pre17 rooms_list_pre17_unread; do
  count_wrk_run
  (cd "$BENCH_WORK" && timeout 60 "$PGBENCH" -n -M prepared -c "$CONNS" -j 2 -T "$WARM_SECS" -f "$BENCH_DIR/pgbench/$f.sql" "${PG_U[@]}" "$DATABASE_URL" >/dev/null 2>&1 9>&-) \
    || die "pgbench warm-up failed ($f)"
done
cpu_unlock

for i in $(seq 1 "$RUNS"); do
  cpu_lock "unread round $i"
  log "round $i/$RUNS"
  psql_q "VACUUM rooms" >/dev/null # the writer updates U's room rows 20 times a second: each round starts from clean ones
  SEQ0=$(psql_q "SELECT sum(last_seq) FROM rooms")
  T0=$(date +%s.%N)
  start_writer
  ORDER=$SCENARIOS
  [ $((i % 2)) = 1 ] || ORDER=$(echo "$SCENARIOS" | tr ' ' '\n' | tac | tr '\n' ' ')
  for s in $ORDER; do run_scenario "$s"; done
  stop_writer
  T1=$(date +%s.%N)
  SEQ1=$(psql_q "SELECT sum(last_seq) FROM rooms")
  awk -v a="$SEQ0" -v b="$SEQ1" -v t0="$T0" -v t1="$T1" 'BEGIN { printf "posted=%d seconds=%.1f rate=%.2f\n", b - a, t1 - t0, (b - a) / (t1 - t0) }' >>"$BENCH_WORK/runs/writer-db"
  cpu_unlock
done

# ---------------------------------------------------------------------------------------------
# Checks after the runs: gap-free rooms, unread counts over HTTP vs SQL vs a COUNT over messages.
BAD=$(seq_gap_rooms)
TOTAL=$(psql_q "SELECT count(*) FROM messages")
echo "after the runs: $TOTAL messages; rooms with a seq gap or a last_seq mismatch (max(seq) = count(*) = last_seq, min(seq) = 1 expected): $BAD" >>"$BENCH_WORK/runs/.check"
UNREAD_AFTER=$(unread_check "after the runs")
POSTED=$(psql_q "SELECT sum(r.last_seq) - $((ROOMS * MESSAGES)) FROM rooms r WHERE r.name LIKE 'unread-u-%'")
echo "total unread rose by $((UNREAD_AFTER - UNREAD_BEFORE)); messages posted into U's rooms during the runs (sum of last_seq - $((ROOMS * MESSAGES))): $POSTED" >>"$BENCH_WORK/runs/.check"
E_UNREAD=$(api GET "$LIST_PATH" "$E_TOKEN" | jq '[.items[].unreadCount] | add')
echo "E's first page: total unreadCount $E_UNREAD (0 expected)" >>"$BENCH_WORK/runs/.check"
# A sample of U's rooms: the HTTP figure next to the ground truth, a COUNT over the messages above last_read_seq.
{
  echo "| room (U's, by id) | last_read_seq | last_seq | unreadCount over HTTP | last_seq - last_read_seq (SQL) | count(messages with seq > last_read_seq) |"
  echo "|---|---:|---:|---:|---:|---:|"
  for k in 0 1 2 $((ROOMS / 3)) $((ROOMS / 2)) $((ROOMS - 2)) $((ROOMS - 1)); do
    [ "$k" -lt "$ROOMS" ] && [ "$k" -ge 0 ] || continue
    id=${U_ROOMS[$k]}
    read -r _ api_unread api_read api_last < <(grep "^$id " "$BENCH_WORK/runs/.api-unread")
    sql=$(psql_q "SELECT r.name, m.last_read_seq, r.last_seq, r.last_seq - m.last_read_seq, (SELECT count(*) FROM messages x WHERE x.room_id = r.id AND x.seq > m.last_read_seq)
      FROM rooms r JOIN room_members m ON m.room_id = r.id AND m.user_id = '$U_ID' WHERE r.id = '$id'")
    IFS='|' read -r name lr ls derived counted <<<"$sql"
    echo "| $name | $lr | $ls | $api_unread | $derived | $counted |"
  done
} | awk '!seen[$0]++' >"$BENCH_WORK/runs/.sample"
grep -q '| ' "$BENCH_WORK/runs/.sample" || die "no sample rows"
log "checks: $(cat "$BENCH_WORK/runs/.check")"
cat "$BENCH_WORK/runs/.sample" >&2
stop_lobby
fi

# ---------------------------------------------------------------------------------------------
# Report

read -r ROOMS MESSAGES WRITERS WRITE_RATE WRITE_CONNS WRITE_DELAY_MS SEED_SECS <"$BENCH_WORK/runs/.setup"
errors_of() { echo $(($(total "$1" connect_err) + $(total "$1" read_err) + $(total "$1" write_err) + $(total "$1" timeouts))); }
disturbed_of() { [ -f "$BENCH_WORK/runs/$1.disturbed" ] && wc -l <"$BENCH_WORK/runs/$1.disturbed" | tr -d ' ' || echo 0; }
xratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f×", a / b }'; }

row() { # row LABEL SCENARIO COMPARED
  local s=$1
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (%s set aside) |\n' "$2" "$CONNS" \
    "$(fmt "$(med_of "$s" rps)" 1)" "$(fmt "$(med_of "$s" p50_ms)" 2)" "$(fmt "$(med_of "$s" p90_ms)" 2)" "$(fmt "$(med_of "$s" p99_ms)" 2)" \
    "$3" "$(fmt "$(med_of "$s" server_cores)" 2)" "$(total "$s" non2xx)" "$(errors_of "$s")" "$(maximum "$s" foreign_cpu_pct)%" "$(disturbed_of "$s")"
}

# paired A B FIELD: A/B per round (line by line), space-separated, then the median
paired() {
  paste -d' ' <(field "$3" <"$BENCH_WORK/runs/$1") <(field "$3" <"$BENCH_WORK/runs/$2") \
    | awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), ($2 == 0 ? 0 : $1 / $2) }'
}

AU=$(med_of list-u rps); AE=$(med_of list-e rps)
PU=$(med_of pg-list-u rps); PO=$(med_of pg-list-u-pre17 rps); PE=$(med_of pg-list-e rps); PR=$(med_of pg-list-u-unread rps)
AU99=$(med_of list-u p99_ms); AE99=$(med_of list-e p99_ms)
PU99=$(med_of pg-list-u p99_ms); PO99=$(med_of pg-list-u-pre17 p99_ms); PE99=$(med_of pg-list-e p99_ms); PR99=$(med_of pg-list-u-unread p99_ms)
NON2XX=0 ERRORS=0 FOREIGN=0
for s in $SCENARIOS; do
  NON2XX=$((NON2XX + $(total "$s" non2xx)))
  ERRORS=$((ERRORS + $(errors_of "$s")))
  f=$(maximum "$s" foreign_cpu_pct); [ "$f" -le "$FOREIGN" ] || FOREIGN=$f
done
W_NON2XX=$(total writer non2xx); W_ERR=$(errors_of writer)

report_context
RESULT=$(result_file unread)

{
  echo "# Lobby unread-aware room list benchmark (issue 17), $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- Commit: $COMMIT; Release publish, \`ASPNETCORE_ENVIRONMENT=Production\`, \`LOG_LEVEL=Warning\`, \`MESSAGE_RATE_LIMIT_PER_MINUTE=1000000\`, \`ACCESS_TOKEN_MINUTES=60\`"
  echo "- Machine: $NCPU × $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"); load generator, writer, Lobby and PostgreSQL on the same box"
  echo "- $(dotnet --version | sed 's/^/.NET SDK /'), $PGVER, $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $("$PGBENCH" --version)"
  echo "- Data (seeded in SQL in ${SEED_SECS} s): user **U** is a member of $ROOMS private rooms of $MESSAGES messages each ($((ROOMS * MESSAGES)) messages, seq 1..$MESSAGES gap-free, \`rooms.last_seq\` to match), read up to varied positions (every 10th room fully read, every 10th + 1 not at all, the rest spread over 0..$MESSAGES); user **E** is a member of $ROOMS private rooms with no messages; $WRITERS writer users. U's and E's rooms were created alternately (ids interleaved), so either user's newest-first first page passes about as many of the other's rooms. U and E have no direct messages and no public rooms exist, so \`mine=true\` lists exactly their rooms."
  echo "- Each row: median of $RUNS runs of $DURATION after a $WARMUP warm-up, $CONNS connections (wrk -t2 -c$CONNS; pgbench -c$CONNS -j2 -M prepared), the seven scenarios interleaved run by run (order reversed every other round), each round under the shared CPU lock"
  echo "- **Under load:** during every run a background writer (wrk -t1 -c$WRITE_CONNS, \`bench/lua/post_paced.lua\`, ${WRITE_DELAY_MS} ms pause after each answer: at most $WRITE_RATE posts/s) posts ~100-character messages over HTTP into U's rooms, rotating over $WRITERS writers × $ROOMS rooms, so U's unread counts move while the list is read. Achieved per round (wrk, over the whole round): $(field rps <"$BENCH_WORK/runs/writer" | awk '{ printf "%s%.1f/s", (NR > 1 ? ", " : ""), $1 }'); p99 of the posts $(field p99_ms <"$BENCH_WORK/runs/writer" | awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $1 }') ms; $W_NON2XX non-2xx, $W_ERR socket errors; from the database: $(awk '{ printf "%s%s", (NR > 1 ? "; " : ""), $0 }' "$BENCH_WORK/runs/writer-db")"
  echo
  echo "| Scenario | Conns | Requests/s | p50 ms | p90 ms | p99 ms | Compared with | Lobby+PG cores | Non-2xx / failed | Socket errors | Foreign CPU (max) |"
  echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
  row list-u "(a) GET /rooms?mine=true&limit=50 as U ($ROOMS rooms × $MESSAGES messages)" "p99 $(xratio "$AU99" "$AE99") of (b); rps $(ratio_pct "$AU" "$AE") of (b); rps $(ratio_pct "$AU" "$PU") of (c)"
  row list-e "(b) the same as E ($ROOMS empty rooms) (peer)" "100%"
  row pg-list-u "(c) pgbench: today's List SQL, U" "p99 $(xratio "$PU99" "$PO99") of (d); rps $(ratio_pct "$PU" "$PO") of (d)"
  row pg-list-u-pre17 "(d) pgbench: List SQL before read state (2ce1e5f), U (peer)" "100%"
  row pg-list-u-unread "(g) pgbench: the 2ce1e5f SQL plus only the read-state columns, U (attribution peer)" "p99 $(xratio "$PR99" "$PO99") of (d); rps $(ratio_pct "$PR" "$PO") of (d)"
  row pg-list-e "(f) pgbench: today's List SQL, E (peer)" "(c) p99 $(xratio "$PU99" "$PE99") of this; rps (c) $(ratio_pct "$PU" "$PE") of this"
  row get-room "(e) GET /rooms/{id} as U (one of U's rooms)" "(a) makes $(ratio_pct "$AU" "$(med_of get-room rps)") of this rps; (a) p99 $(xratio "$AU99" "$(med_of get-room p99_ms)") of this"
  echo
  echo "- **a/b** (unread-aware list, big rooms vs empty rooms, over HTTP): p99 $(xratio "$AU99" "$AE99") (per round: $(paired list-u list-e p99_ms)); requests/s $(ratio_pct "$AU" "$AE") (per round: $(paired list-u list-e rps))."
  echo "- **c/d** (today's List SQL vs the list before read state, same database, same clients): p99 $(xratio "$PU99" "$PO99") (per round: $(paired pg-list-u pg-list-u-pre17 p99_ms)); transactions/s $(ratio_pct "$PU" "$PO") (per round: $(paired pg-list-u pg-list-u-pre17 rps))."
  echo "- **g/d** (read state alone: the pre-17 SQL plus the two read-state columns, vs the pre-17 SQL): p99 $(xratio "$PR99" "$PO99") (per round: $(paired pg-list-u-unread pg-list-u-pre17 p99_ms)); transactions/s $(ratio_pct "$PR" "$PO") (per round: $(paired pg-list-u-unread pg-list-u-pre17 rps)). **c/g**: the rest of today's SQL (kind filter, direct-message peer join): p99 $(xratio "$PU99" "$PR99"); transactions/s $(ratio_pct "$PU" "$PR")."
  echo "- **c/f** (today's List SQL, big rooms vs empty rooms): p99 $(xratio "$PU99" "$PE99"); transactions/s $(ratio_pct "$PU" "$PE")."
  echo "- Validity: $NON2XX non-2xx responses / failed transactions and $ERRORS socket errors/timeouts over all counted runs (must be 0)."
  echo "- Lobby+PG cores: CPU used by Lobby, PostgreSQL and the background writer (wrk) during the run (median, in cores of $NCPU); for pgbench rows Lobby serves only the writer's posts."
  echo "- Foreign CPU: share of the box used by processes other than the load generator, the writer, Lobby and PostgreSQL; at most **${FOREIGN}%** in any counted run; runs above ${FOREIGN_RERUN}% were set aside and repeated once (the repeat counts whatever its value)."
  echo "- pgbench binds \`user\`, \`prefix\` ('%'), \`mine\` (true) and \`take\` (51) as parameters like Lobby does; the first page's NULL cursor is a literal \`NULL::uuid\` (pgbench cannot bind NULL)."
  echo
  echo "## Checks after the runs"
  echo
  sed 's/^/- /' "$BENCH_WORK/runs/.check"
  echo
  cat "$BENCH_WORK/runs/.sample"
  echo
  echo "<details><summary>Query plans (EXPLAIN ANALYZE, BUFFERS, values inlined, after seeding)</summary>"
  echo
  for q in rooms_list rooms_list_pre17 rooms_list_pre17_unread rooms_list-e; do
    case $q in
      rooms_list-e) echo "\`bench/pgbench/rooms_list.sql\` for E:" ;;
      *) echo "\`bench/pgbench/$q.sql\` for U:" ;;
    esac
    echo
    echo '```'
    cat "$BENCH_WORK/runs/.plan-$q"
    echo '```'
    echo
  done
  echo "</details>"
  echo
  echo "<details><summary>Raw runs</summary>"
  echo
  echo '```'
  for s in $SCENARIOS writer; do
    sed "s/^BENCH /$s /" "$BENCH_WORK/runs/$s"
    [ ! -f "$BENCH_WORK/runs/$s.disturbed" ] || sed "s/^BENCH /$s (set aside) /" "$BENCH_WORK/runs/$s.disturbed"
  done
  sed "s/^/writer (database) /" "$BENCH_WORK/runs/writer-db"
  echo '```'
  echo
  echo "</details>"
} | tee "$RESULT"
log "written to $RESULT"
[ "$NON2XX" -eq 0 ] && [ "$ERRORS" -eq 0 ] || log "WARNING: $NON2XX non-2xx responses and $ERRORS socket errors: results are not valid"
