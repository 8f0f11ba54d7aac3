#!/usr/bin/env bash
# Single busy room: CONNS (32) writers posting into ONE room, Lobby vs the gin-lobby peer
# (../shared/peers/gin-lobby: the same endpoint on Gin + pgx, with the old room gate and a
# 5-round-trip transaction) vs pgbench running the post straight against PostgreSQL with one
# client (the serial ceiling of the room's row lock), all in one run, interleaved round by round.
#
#   bash bench/busy-room.sh                       # RUNS=5 DURATION=10s WARMUP=3s CONNS=32 USERS=8
#   RUNS=3 DURATION=5s bash bench/busy-room.sh    # quicker, noisier
#   REPORT_ONLY=1 bash bench/busy-room.sh         # rebuild the report from $BENCH_WORK/runs
#
# Builds Lobby (Release) and the peer (its build.sh: Debian's Go packages, GOPATH mode; the binary
# goes to $BENCH_WORK, never into this repository), starts one PostgreSQL cluster, Lobby on
# 127.0.0.1:$BENCH_PORT and the peer on 127.0.0.1:$PEER_PORT against the same database and key,
# seeds USERS users who are all members of one private room, checks that the peer answers like
# Lobby (gin-lobby-check.sh, CHECK=0 skips), then runs RUNS rounds. Each round holds the shared
# CPU lock (/tmp/lobby-cpu.lock) and runs, in alternating order, Lobby then the peer (or the peer
# then Lobby) with `wrk -t2 -cCONNS` (bench/lua/post_message.lua, users round-robin, one room),
# then pgbench with 1 client on the old transaction (bench/pgbench/post_message.sql.in, what the
# peer runs) and on Lobby's one statement (bench/pgbench/post_statement.sql.in), and that
# statement with CONNS clients. Afterwards every room must be numbered 1..last_seq without a gap
# (max(seq) = count(*) = last_seq). Writes bench/results/busy-room-<date>.md.
#
# Extra settings: CONNS=32, USERS=8, PG_SWEEP="" (e.g. "2 4 8 20": the statement at more client counts), PEER_DIR (default ../shared/peers/gin-lobby next to the
# repository), PEER_PORT=18091, CHECK=1, FOREIGN_RERUN=30 (a run with more foreign CPU is set
# aside and repeated once), CPU_LOCK=/tmp/lobby-cpu.lock (none = no lock), CPU_LOCK_WAIT=900.
set -euo pipefail
MAX_WRK_RUNS=${MAX_WRK_RUNS:-80}
source "$(dirname "$0")/lib.sh"

CONNS=${CONNS:-32}
USERS=${USERS:-8}
CHECK=${CHECK:-1}
PEER_DIR=${PEER_DIR:-$(cd "$ROOT/.." && pwd)/shared/peers/gin-lobby}
PEER_PORT=${PEER_PORT:-18091}
PEER_URL="http://127.0.0.1:$PEER_PORT"
PEER_BIN="$BENCH_WORK/gin-lobby"
PEER_PID=""
SECS=$(to_seconds "$DURATION")
PG_SWEEP=${PG_SWEEP:-} # e.g. "2 4 8 20": also Lobby's statement at these client counts (where PostgreSQL's row-lock queue starts to cost)
SCENARIOS="lobby peer pg-tx-c1 pg-stmt-c1 pg-stmt-c$CONNS"
for c in $PG_SWEEP; do SCENARIOS="$SCENARIOS pg-stmt-c$c"; done

build() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$BENCH_WORK/out/Lobby.Api" ] && [ -x "$PEER_BIN" ]; then
    log "SKIP_BUILD=1: reusing $BENCH_WORK/out and $PEER_BIN"
    return
  fi
  [ -f "$PEER_DIR/build.sh" ] || die "no peer at $PEER_DIR (set PEER_DIR)"
  log "publishing Lobby (Release) to $BENCH_WORK/out"
  (cd "$ROOT" && locked dotnet publish src/Lobby.Api -c Release -o "$BENCH_WORK/out" -nologo -v quiet) >&2
  log "building the peer to $PEER_BIN"
  locked sh "$PEER_DIR/build.sh" "$PEER_BIN" >&2
}

start_peer() {
  log "starting the peer on $PEER_URL"
  env DATABASE_URL="$DATABASE_URL" JWT_PUBLIC_KEYS="$BENCH_WORK/keys/k.pem.pub" ADDR="127.0.0.1:$PEER_PORT" \
    LOG_LEVEL=Warning MESSAGE_RATE_LIMIT_PER_MINUTE=1000000 \
    "$PEER_BIN" >"$BENCH_WORK/peer.log" 2>&1 9>&- &
  PEER_PID=$!
  BG_PIDS+=("$PEER_PID")
  EXTRA_PIDS+=("$PEER_PID")
  local i
  for i in $(seq 1 60); do
    curl -fsS -o /dev/null "$PEER_URL/health/live" 2>/dev/null && { log "peer ready (pid $PEER_PID)"; return; }
    kill -0 "$PEER_PID" 2>/dev/null || { cat "$BENCH_WORK/peer.log" >&2; die "the peer exited during startup"; }
    sleep 0.5
  done
  die "the peer is not ready after 30 s"
}

if [ "${REPORT_ONLY:-0}" != 1 ]; then
  [ -n "$PGBENCH" ] || die "pgbench not found (it ships with the PostgreSQL server binaries)"
  if (exec 3<>"/dev/tcp/127.0.0.1/$PEER_PORT") 2>/dev/null; then die "something already listens on 127.0.0.1:$PEER_PORT; set PEER_PORT"; fi
  bench_init
  build
  start_pg
  make_key
  start_lobby MESSAGE_RATE_LIMIT_PER_MINUTE=1000000 ACCESS_TOKEN_MINUTES=60
  start_peer

  STAMP=$(date +%s)
  TOKENS=() USER_IDS=()
  for u in $(seq 1 "$USERS"); do
    body=$(post_json /api/v1/auth/register "{\"email\":\"bench-busy-$u-$STAMP@example.com\",\"password\":\"Bench-Pass-$STAMP-qzx\",\"displayName\":\"Busy $u\"}")
    TOKENS+=("$(echo "$body" | jq -r .accessToken)")
    USER_IDS+=("$(echo "$body" | jq -r .user.id)")
  done
  ROOM=$(api POST /api/v1/rooms "${TOKENS[0]}" '{"name":"bench-busy","topic":"bench","visibility":"private"}' | jq -r .id)
  for u in "${USER_IDS[@]:1}"; do api POST "/api/v1/rooms/$ROOM/members" "${TOKENS[0]}" "{\"userId\":\"$u\"}" >/dev/null; done
  log "$USERS users, all members of room $ROOM"

  if [ "$CHECK" = 1 ]; then
    log "correctness check of the peer against Lobby (gin-lobby-check.sh)"
    LOBBY_URL=$BASE_URL PEER_URL=$PEER_URL SIGNING_KEY="$BENCH_WORK/keys/k.pem" bash "$PEER_DIR/../gin-lobby-check.sh" >"$BENCH_WORK/check.log" 2>&1 \
      || { grep -v '^ok' "$BENCH_WORK/check.log" >&2; die "the peer does not answer like Lobby"; }
    tail -n 1 "$BENCH_WORK/check.log" >"$BENCH_WORK/runs/.check"
    log "check: $(cat "$BENCH_WORK/runs/.check")"
  fi

  # One pgbench script per user for each form of the post, picked at random per transaction.
  PGS="$BENCH_WORK/pgbench-busy"
  rm -rf "$PGS" && mkdir -p "$PGS"
  PG_TX=() PG_STMT=()
  for u in "${USER_IDS[@]}"; do
    sed -e "s/@ROOM@/$ROOM/g" -e "s/@USER@/$u/g" "$BENCH_DIR/pgbench/post_message.sql.in" >"$PGS/tx-$u.sql"
    sed -e "s/@ROOM@/$ROOM/g" -e "s/@USER@/$u/g" "$BENCH_DIR/pgbench/post_statement.sql.in" >"$PGS/stmt-$u.sql"
    PG_TX+=(-f "$PGS/tx-$u.sql@1")
    PG_STMT+=(-f "$PGS/stmt-$u.sql@1")
  done
  export BENCH_TOKENS="${TOKENS[*]}" BENCH_ROOMS="$ROOM"
  WARM_SECS=$(to_seconds "$WARMUP")

  cpu_lock "warm-up"
  warmup "$CONNS" post_message.lua /
  BASE_URL=$PEER_URL warmup "$CONNS" post_message.lua /
  count_wrk_run
  (cd "$BENCH_WORK" && timeout 60 "$PGBENCH" -n -M prepared -c 1 -T "$WARM_SECS" "${PG_STMT[@]}" "$DATABASE_URL" >/dev/null 2>&1 9>&-) || die "pgbench warm-up failed"
  cpu_unlock

  for i in $(seq 1 "$RUNS"); do
    cpu_lock "busy-room round $i"
    log "round $i/$RUNS"
    psql_q "VACUUM rooms" >/dev/null # the room row is updated ~10^4 times a run: start each round from a clean one
    if [ $((i % 2)) = 1 ]; then
      measured wrk_run lobby "$CONNS" "$DURATION" post_message.lua /
      BASE_URL=$PEER_URL measured wrk_run peer "$CONNS" "$DURATION" post_message.lua /
    else
      BASE_URL=$PEER_URL measured wrk_run peer "$CONNS" "$DURATION" post_message.lua /
      measured wrk_run lobby "$CONNS" "$DURATION" post_message.lua /
    fi
    measured pgbench_run pg-tx-c1 "$SECS" 1 "${PG_TX[@]}"
    measured pgbench_run pg-stmt-c1 "$SECS" 1 "${PG_STMT[@]}"
    measured pgbench_run "pg-stmt-c$CONNS" "$SECS" "$CONNS" "${PG_STMT[@]}"
    for c in $PG_SWEEP; do measured pgbench_run "pg-stmt-c$c" "$SECS" "$c" "${PG_STMT[@]}"; done
    cpu_unlock
  done

  # Gap-free: per room, max(seq) = count(*) = rooms.last_seq; the busy room's numbers go in the report.
  psql_q "SELECT r.last_seq, coalesce(max(m.seq), 0), count(m.seq) FROM rooms r LEFT JOIN messages m ON m.room_id = r.id WHERE r.id = '$ROOM' GROUP BY r.last_seq" \
    | tr '|' ' ' >"$BENCH_WORK/runs/.seq"
  BAD=$(seq_gap_rooms)
  echo "$BAD" >"$BENCH_WORK/runs/.seqbad"
  read -r LAST MAXSEQ COUNT <"$BENCH_WORK/runs/.seq"
  log "busy room: last_seq $LAST, max(seq) $MAXSEQ, count(*) $COUNT; rooms with a gap or mismatch: $BAD"
  [ "$BAD" = 0 ] || log "WARNING: seq gap or mismatch"
  stop_lobby
fi

# ---------------------------------------------------------------------------------------------
# Report

errors_of() { echo $(($(total "$1" connect_err) + $(total "$1" read_err) + $(total "$1" write_err) + $(total "$1" timeouts))); }
disturbed_of() { [ -f "$BENCH_WORK/runs/$1.disturbed" ] && wc -l <"$BENCH_WORK/runs/$1.disturbed" | tr -d ' ' || echo 0; }
x() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || a == "nan" || b == "nan") print "-"; else printf "%.2f×", a / b }'; }
# Paired ratios: Lobby's run i over the peer's run i (the two ran next to each other).
paired() {
  paste -d' ' <(field rps <"$BENCH_WORK/runs/lobby") <(field rps <"$BENCH_WORK/runs/peer") | awk '{ if ($2 > 0) printf "%.2f\n", $1 / $2 }'
}
# Rounds in which both runs saw at most 10% foreign CPU: "lobby_rps peer_rps" lines.
quiet_pairs() {
  paste -d' ' <(field rps <"$BENCH_WORK/runs/lobby") <(field foreign_cpu_pct <"$BENCH_WORK/runs/lobby") \
    <(field rps <"$BENCH_WORK/runs/peer") <(field foreign_cpu_pct <"$BENCH_WORK/runs/peer") | awk '$2 <= 10 && $4 <= 10 { print $1, $3 }'
}
L=$(med_of lobby rps); P=$(med_of peer rps); T1=$(med_of pg-tx-c1 rps); S1=$(med_of pg-stmt-c1 rps); SN=$(med_of "pg-stmt-c$CONNS" rps)
row() { # row LABEL SCENARIO CLIENTS COMPARED
  local s=$2
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s, %s | %s (%s set aside) |\n' "$1" "$3" \
    "$(fmt "$(med_of "$s" rps)" 1)" "$(fmt "$(med_of "$s" p50_ms)" 2)" "$(fmt "$(med_of "$s" p90_ms)" 2)" "$(fmt "$(med_of "$s" p99_ms)" 2)" \
    "$4" "$(fmt "$(med_of "$s" server_cores)" 2)" "$(total "$s" non2xx)" "$(errors_of "$s")" "$(maximum "$s" foreign_cpu_pct)%" "$(disturbed_of "$s")"
}
report_context
RESULT=$(result_file busy-room)
N=$(runs_of lobby)
read -r LAST MAXSEQ COUNT <"$BENCH_WORK/runs/.seq" || true
{
  echo "# Lobby single busy room vs gin-lobby and pgbench, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- Commit: $COMMIT; Release publish, Production, \`LOG_LEVEL=Warning\`, \`MESSAGE_RATE_LIMIT_PER_MINUTE=1000000\`; peer: gin-lobby ($(go version 2>/dev/null | cut -d' ' -f3), Gin 1.8.1, pgx 4.15), same database and signing key, \`LOG_LEVEL=Warning\`"
  echo "- Machine: $NCPU × $(lscpu | sed -n 's/^Model name: *//p' | head -n 1); wrk, both servers and PostgreSQL on the same box; $PGVER, $("$PGBENCH" --version)"
  echo "- One private room, $USERS member users; \`wrk -t2 -c$CONNS\` POSTs ~100-character messages (users round-robin); median of $N rounds of $DURATION after a $WARMUP warm-up; each round: Lobby and peer (order alternating), then pgbench (\`-M prepared\`); runs with > ${FOREIGN_RERUN}% foreign CPU set aside and repeated once"
  [ ! -f "$BENCH_WORK/runs/.check" ] || echo "- Peer checked against Lobby before the runs: $(cat "$BENCH_WORK/runs/.check") (gin-lobby-check.sh)"
  echo
  echo "| Subject | Writers | Posts/s | p50 ms | p90 ms | p99 ms | Compared with | Server+PG cores | Non-2xx/failed, socket errors | Foreign CPU (max) |"
  echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"
  row "**Lobby** POST /rooms/{id}/messages (one statement, no room lock)" lobby "$CONNS" "**$(x "$L" "$P") the peer**; $(x "$L" "$T1") pgbench tx at 1 client; $(x "$L" "$S1") pgbench statement at 1"
  row "gin-lobby peer (room gate + 5-round-trip transaction)" peer "$CONNS" "$(x "$P" "$T1") pgbench tx at 1 client"
  row "pgbench: the transaction (SELECT, UPDATE, INSERT, COMMIT), 1 client" pg-tx-c1 1 "serial ceiling of the old post"
  row "pgbench: Lobby's one statement, 1 client" pg-stmt-c1 1 "serial ceiling of Lobby's post"
  row "pgbench: Lobby's one statement, $CONNS clients" "pg-stmt-c$CONNS" "$CONNS" "$(x "$SN" "$S1") of 1 client"
  for c in $PG_SWEEP; do row "pgbench: Lobby's one statement, $c clients" "pg-stmt-c$c" "$c" "$(x "$(med_of "pg-stmt-c$c" rps)" "$S1") of 1 client"; done
  echo
  echo "- **Lobby / peer, paired by round:** $(paired | paste -sd' ' | sed 's/ /, /g') (median $(paired | median)); target ≥ 1.3×."
  echo "- Rounds with ≤ 10% foreign CPU in both runs: $(quiet_pairs | awk '{ printf "%sLobby %.0f / peer %.0f = %.2f×", sep, $1, $2, $1 / $2; sep = "; " }') (the peer's gate serialises 5 round trips per post, so CPU taken by others slows it more than Lobby)."
  echo "- Seqs after all runs: busy room last_seq $LAST, max(seq) $MAXSEQ, count(*) $COUNT; rooms with a gap or mismatch (count ≠ max ≠ last_seq, or min ≠ 1): $(cat "$BENCH_WORK/runs/.seqbad" 2>/dev/null || echo '?')."
  echo "- Server+PG cores: CPU of Lobby, the peer and PostgreSQL during the run (median; the server not under test is idle). Foreign CPU: the rest of the box minus the load generator."
  echo
  echo '```'
  for s in $SCENARIOS; do
    sed "s/^BENCH /$s /" "$BENCH_WORK/runs/$s"
    [ ! -f "$BENCH_WORK/runs/$s.disturbed" ] || sed "s/^BENCH /$s (set aside) /" "$BENCH_WORK/runs/$s.disturbed"
  done
  echo '```'
} | tee "$RESULT"
log "written to $RESULT"
