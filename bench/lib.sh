# Shared by the bench/*.sh scenarios. Source it after `set -euo pipefail`.
#
# Builds Lobby (Release publish) into $BENCH_WORK, starts a throwaway PostgreSQL cluster with
# scripts/pg.sh, runs the migrations, generates a signing key, starts Lobby as Production on
# 127.0.0.1:$BENCH_PORT and waits for /health/ready. `bench_cleanup` (installed as an EXIT
# trap by bench_init) stops wrk, Lobby and the cluster again.
#
# wrk runs go through `wrk_run`, which prints one parseable `BENCH ...` line per run (written
# by the Lua done() hook in bench/lua/report.lua) plus the CPU used by processes that are not
# part of the benchmark ("foreign" CPU: other work on a shared box distorts the numbers).
#
# Settings (environment):
#   RUNS=5            measured runs per scenario (the median is reported)
#   DURATION=10s      length of each measured run
#   WARMUP=3s         unmeasured run before each scenario
#   BENCH_WORK=/tmp/lobby-bench   build output, cluster, keys, logs, raw results
#   BENCH_PORT=8089   where Lobby listens (127.0.0.1 only)
#   SKIP_BUILD=1      reuse $BENCH_WORK/out from an earlier run
#   MAX_WRK_RUNS=120  hard cap on wrk invocations per script (a runaway loop cannot load the box forever)
#   IDLE_WAIT=5       seconds to wait, at most, for foreign CPU to settle before each run (0 = never wait)

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/tmp/lobby-bench}
BENCH_PORT=${BENCH_PORT:-8089}
BASE_URL="http://127.0.0.1:$BENCH_PORT"
RUNS=${RUNS:-5}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
MAX_WRK_RUNS=${MAX_WRK_RUNS:-120}
IDLE_WAIT=${IDLE_WAIT:-5}
NCPU=$(nproc)
export BENCH_LUA_DIR="$BENCH_DIR/lua"
CLK_TCK=$(getconf CLK_TCK)

LOBBY_PID=""
EXTRA_PIDS=() # other servers under test (busy-room.sh: the gin-lobby peer): their CPU is ours, not foreign
PG_DIR=""
DATABASE_URL=""
WRK_RUN_COUNT=0
BG_PIDS=()
LOBBY_START_COUNT=0

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# The box's shared CPU lock (CPU_LOCK, /tmp/lobby-cpu.lock): other people's builds and test runs
# take it with `flock` too, so a benchmark step that holds it runs without them. Scripts take it
# per step (a build, a round of runs) and release it in between, so nobody waits for a whole
# script. cpu_lock WHAT: fd 9 holds the lock until cpu_unlock; after CPU_LOCK_WAIT s (900) the
# step runs without it and the log says so (CPU_LOCK=none: never lock).
CPU_LOCK=${CPU_LOCK:-/tmp/lobby-cpu.lock}
CPU_LOCK_WAIT=${CPU_LOCK_WAIT:-900}
CPU_LOCKED=0
cpu_lock() {
  [ "$CPU_LOCK" != none ] || return 0
  exec 9>"$CPU_LOCK"
  local t0=$SECONDS
  if flock -w "$CPU_LOCK_WAIT" 9; then
    CPU_LOCKED=1
    [ $((SECONDS - t0)) -lt 2 ] || log "waited $((SECONDS - t0)) s for $CPU_LOCK ($1)"
  else
    CPU_LOCKED=0
    log "WARNING: $CPU_LOCK not free after ${CPU_LOCK_WAIT}s; running '$1' without it"
  fi
}
cpu_unlock() {
  [ "$CPU_LOCK" != none ] || return 0
  [ "$CPU_LOCKED" = 0 ] || flock -u 9
  exec 9>&-
  CPU_LOCKED=0
}
# locked CMD...: CMD while holding the lock (fd 9 not passed on, so a daemon cannot keep it)
locked() {
  cpu_lock "$*"
  local rc=0
  "$@" 9>&- || rc=$?
  cpu_unlock
  return "$rc"
}

# ---------------------------------------------------------------------------------------------
# Setup and teardown

bench_init() {
  command -v wrk >/dev/null || die "wrk not found: apt-get install -y wrk"
  command -v curl >/dev/null || die "curl not found"
  command -v dotnet >/dev/null || die "dotnet not found"
  mkdir -p "$BENCH_WORK" "$BENCH_WORK/runs"
  rm -f "$BENCH_WORK"/runs/*
  if (exec 3<>"/dev/tcp/127.0.0.1/$BENCH_PORT") 2>/dev/null; then
    die "something already listens on 127.0.0.1:$BENCH_PORT; set BENCH_PORT"
  fi
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  stop_lobby
  if [ -n "$PG_DIR" ]; then
    log "stopping PostgreSQL ($PG_DIR)"
    "$ROOT/scripts/pg.sh" stop "$PG_DIR" || true
    PG_DIR=""
  fi
}

# Release publish of the working tree (the Native AOT executable), under the CPU lock; SKIP_BUILD=1
# reuses an earlier one.
build_lobby() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$BENCH_WORK/out/Lobby.Api" ]; then
    log "SKIP_BUILD=1: reusing $BENCH_WORK/out"
    return
  fi
  log "publishing Lobby (Release) to $BENCH_WORK/out"
  (cd "$ROOT" && locked dotnet publish src/Lobby.Api -c Release -o "$BENCH_WORK/out" -nologo -v quiet) >&2
}

# build_lobby plus the Argon2id timing tool.
build_all() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -x "$BENCH_WORK/out/Lobby.Api" ] && [ -f "$BENCH_WORK/hashtime/HashTime.dll" ]; then
    log "SKIP_BUILD=1: reusing $BENCH_WORK/out"
    return
  fi
  SKIP_BUILD=0 build_lobby
  log "building bench/hashtime"
  (cd "$ROOT" && dotnet build bench/hashtime -c Release -o "$BENCH_WORK/hashtime" -nologo -v quiet) >&2
}

start_pg() {
  PG_DIR="$BENCH_WORK/pg"
  DATABASE_URL=$("$ROOT/scripts/pg.sh" start "$PG_DIR")
  export DATABASE_URL
  log "PostgreSQL at $DATABASE_URL"
  # A fresh database each time, so earlier runs' sessions do not change the queries' cost.
  psql_exec "DROP DATABASE IF EXISTS lobby_bench WITH (FORCE)"
  psql_exec "CREATE DATABASE lobby_bench"
  DATABASE_URL="${DATABASE_URL%/*}/lobby_bench"
  export DATABASE_URL
  log "migrating $DATABASE_URL"
  "$BENCH_WORK/out/Lobby.Api" migrate up >"$BENCH_WORK/migrate.log" 2>&1 \
    || { cat "$BENCH_WORK/migrate.log" >&2; die "migrate up failed"; }
}

psql_bin() { command -v psql || ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1; }

# psql_exec SQL: runs it, prints nothing; psql_q SQL: prints the rows unaligned, '|' between columns.
psql_exec() { "$(psql_bin)" -q -X -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1" >/dev/null; }
psql_q() { "$(psql_bin)" -X -At -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1"; }

# seq_gap_rooms: how many rooms are not numbered 1..last_seq exactly (max(seq) = count(*) = last_seq, min(seq) = 1).
seq_gap_rooms() {
  psql_q "SELECT count(*) FROM rooms r LEFT JOIN (SELECT room_id, count(*) n, max(seq) mx, min(seq) mn FROM messages GROUP BY room_id) m ON m.room_id = r.id
    WHERE coalesce(m.n, 0) <> r.last_seq OR coalesce(m.mx, 0) <> r.last_seq OR coalesce(m.mn, 1) <> 1"
}

make_key() {
  mkdir -p "$BENCH_WORK/keys"
  rm -f "$BENCH_WORK/keys/k.pem" "$BENCH_WORK/keys/k.pem.pub"
  "$BENCH_WORK/out/Lobby.Api" keys generate "$BENCH_WORK/keys/k.pem" >/dev/null
}

# start_lobby [VAR=value ...]: Production settings, rate limits out of the way (1,000,000 a
# minute is the highest value Lobby accepts), extra variables override.
start_lobby() {
  [ -z "$LOBBY_PID" ] || die "Lobby already running"
  LOBBY_START_COUNT=$((LOBBY_START_COUNT + 1))
  local logfile="$BENCH_WORK/lobby-$LOBBY_START_COUNT.log"
  log "starting Lobby on $BASE_URL $*"
  env ASPNETCORE_ENVIRONMENT=Production \
    DATABASE_URL="$DATABASE_URL" \
    JWT_SIGNING_KEYS="$BENCH_WORK/keys/k.pem" \
    ASPNETCORE_URLS="$BASE_URL" \
    LOG_LEVEL=Warning \
    AUTH_RATE_LIMIT_PER_IP=1000000 \
    AUTH_RATE_LIMIT_PER_EMAIL=1000000 \
    AUTH_RATE_LIMIT_PER_EMAIL_AND_IP=1000000 \
    ROOM_CREATE_RATE_LIMIT_PER_MINUTE=1000000 \
    MEMBERSHIP_RATE_LIMIT_PER_MINUTE=1000000 \
    ACCESS_TOKEN_MINUTES=60 \
    "$@" \
    "$BENCH_WORK/out/Lobby.Api" >"$logfile" 2>&1 9>&- &
  LOBBY_PID=$!
  local i
  for i in $(seq 1 120); do
    if curl -fsS -o /dev/null "$BASE_URL/health/ready" 2>/dev/null; then
      log "Lobby ready (pid $LOBBY_PID)"
      return
    fi
    if ! kill -0 "$LOBBY_PID" 2>/dev/null; then
      cat "$logfile" >&2
      LOBBY_PID=""
      die "Lobby exited during startup"
    fi
    sleep 0.5
  done
  die "Lobby not ready after 60 s (log: $logfile)"
}

stop_lobby() {
  [ -n "$LOBBY_PID" ] || return 0
  log "stopping Lobby (pid $LOBBY_PID)"
  kill "$LOBBY_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 40); do
    kill -0 "$LOBBY_PID" 2>/dev/null || break
    sleep 0.25
  done
  kill -9 "$LOBBY_PID" 2>/dev/null || true
  wait "$LOBBY_PID" 2>/dev/null || true
  LOBBY_PID=""
}

# post_json PATH JSON: prints the body; fails unless the status is 2xx.
post_json() {
  curl -fsS -X POST -H 'Content-Type: application/json' --data "$2" "$BASE_URL$1"
}

# api METHOD PATH TOKEN [JSON]: prints the body; fails unless 2xx.
api() {
  if [ -n "${4:-}" ]; then
    curl -fsS -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' --data "$4" "$BASE_URL$2"
  else
    curl -fsS -X "$1" -H "Authorization: Bearer $3" "$BASE_URL$2"
  fi
}

json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

# ---------------------------------------------------------------------------------------------
# CPU accounting: how much of the box went to processes outside the benchmark

# Busy CPU jiffies of the whole machine.
sys_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# "PID JIFFIES" lines (utime + stime) for Lobby and the cluster (postmaster and its children).
ours_snapshot() {
  local pids=() pm
  [ -n "$LOBBY_PID" ] && pids+=("$LOBBY_PID")
  [ "${#EXTRA_PIDS[@]}" -eq 0 ] || pids+=("${EXTRA_PIDS[@]}")
  if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pm=$(head -n 1 "$PG_DIR/data/postmaster.pid")
    pids+=("$pm")
    mapfile -t -O "${#pids[@]}" pids < <(ps -o pid= --ppid "$pm" | tr -d ' ')
  fi
  [ "${#pids[@]}" -gt 0 ] || return 0
  # One cat and one awk for all processes: forks are slow on a loaded box.
  # After the ") " that ends the command field: state is field 1, utime 12, stime 13, and the
  # CPU of reaped children cutime 14, cstime 15: a backend that exits between two snapshots
  # (pgbench's connections, a closed pool connection) lands in the postmaster's cutime/cstime.
  (cd /proc && cat "${pids[@]/%//stat}" 2>/dev/null || true) \
    | awk '{ pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " "); print pid, f[12] + f[13] + f[14] + f[15] }'
}

# ours_delta BEFORE AFTER: jiffies our processes used in between. Per process; a process gone
# by AFTER (an exited backend) has its whole CPU in the postmaster's reaped-children time, so
# its BEFORE value is subtracted to count only what it used in between.
ours_delta() {
  awk 'NR == FNR { before[$1] = $2; next } { seen[$1] = 1; d += $2 - (($1 in before) ? before[$1] : 0) }
       END { for (p in before) if (!(p in seen)) d -= before[p]; print d + 0 }' \
    <(echo "$1") <(echo "$2")
}

# Foreign CPU (percent of all cores) over the next N seconds while the benchmark is idle.
foreign_cpu_pct() {
  local secs=${1:-1} b0 o0 b1 o1 t0 t1
  o0=$(ours_snapshot); b0=$(sys_busy); t0=$(date +%s.%N)
  sleep "$secs"
  o1=$(ours_snapshot); b1=$(sys_busy); t1=$(date +%s.%N)
  # Elapsed time measured, not assumed: on a loaded box the snapshots themselves take a while.
  awk -v b=$((b1 - b0)) -v o="$(ours_delta "$o0" "$o1")" -v t0="$t0" -v t1="$t1" -v n="$NCPU" -v hz="$CLK_TCK" \
    'BEGIN { f = (b - o) / hz / ((t1 - t0) * n) * 100; if (f < 0) f = 0; if (f > 100) f = 100; printf "%.0f", f }'
}

# Waits (at most IDLE_WAIT s) until other processes use less than 10% of the box.
wait_for_quiet() {
  [ "$IDLE_WAIT" -gt 0 ] || return 0
  local start=$SECONDS f
  while :; do
    f=$(foreign_cpu_pct 1)
    [ "$f" -lt 10 ] && return 0
    if [ $((SECONDS - start)) -ge "$IDLE_WAIT" ]; then
      log "box still busy (foreign CPU ${f}%) after ${IDLE_WAIT}s; running anyway"
      return 0
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# wrk

to_seconds() {
  case $1 in
    *ms) echo "0.${1%ms}" ;; # only used for tiny values; not expected
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}

count_wrk_run() {
  WRK_RUN_COUNT=$((WRK_RUN_COUNT + 1))
  [ "$WRK_RUN_COUNT" -le "$MAX_WRK_RUNS" ] || die "more than MAX_WRK_RUNS=$MAX_WRK_RUNS wrk runs; refusing"
}

wrk_cmd() {
  local conns=$1 duration=$2 lua=$3 path=$4 threads=2
  [ "$conns" -ge 2 ] || threads=1
  echo wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s -s "$BENCH_DIR/lua/$lua" "$BASE_URL$path"
}

# wrk_run SCENARIO CONNS DURATION LUA PATH [PROBE_SCENARIO PROBE_PATH]
# One measured run; appends its BENCH line (plus foreign CPU) to $BENCH_WORK/runs/SCENARIO.
# With a probe, a second wrk (1 connection, low rate, bench/lua/probe.lua) runs alongside for
# the same duration and its line goes to runs/PROBE_SCENARIO.
wrk_run() {
  local scenario=$1 conns=$2 duration=$3 lua=$4 path=$5 probe=${6:-} probe_path=${7:-}
  local out="$BENCH_WORK/runs/.out" pout="$BENCH_WORK/runs/.probe" tfile="$BENCH_WORK/runs/.time" ptfile="$BENCH_WORK/runs/.ptime"
  local probe_pid="" b0 o0 t0 b1 o1 t1 wrk_cpu probe_cpu=0 line foreign
  count_wrk_run
  [ -z "$probe" ] || count_wrk_run
  wait_for_quiet
  b0=$(sys_busy); o0=$(ours_snapshot); t0=$(date +%s.%N)
  if [ -n "$probe" ]; then
    (
      TIMEFORMAT='%U %S'
      # shellcheck disable=SC2046
      { time $(wrk_cmd 1 "$duration" probe.lua "$probe_path") >"$pout" 2>&1; } 2>"$ptfile"
    ) &
    probe_pid=$!
    BG_PIDS+=("$probe_pid")
  fi
  (
    TIMEFORMAT='%U %S'
    # shellcheck disable=SC2046
    { time $(wrk_cmd "$conns" "$duration" "$lua" "$path") >"$out" 2>&1; } 2>"$tfile"
  ) || true
  [ -z "$probe_pid" ] || wait "$probe_pid" || true
  b1=$(sys_busy); o1=$(ours_snapshot); t1=$(date +%s.%N)
  local od
  od=$(ours_delta "$o0" "$o1")
  wrk_cpu=$(awk '{ print $1 + $2 }' "$tfile")
  [ -z "$probe" ] || probe_cpu=$(awk '{ print $1 + $2 }' "$ptfile")
  foreign=$(awk -v b=$((b1 - b0)) -v o="$od" -v w="$wrk_cpu" -v p="$probe_cpu" -v t0="$t0" -v t1="$t1" \
    -v n="$NCPU" -v hz="$CLK_TCK" \
    'BEGIN { f = ((b - o) / hz - w - p) / ((t1 - t0) * n) * 100; if (f < 0) f = 0; printf "%.0f", f }')
  local lobby_cpu
  lobby_cpu=$(awk -v o="$od" -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", o / hz / (t1 - t0) }')
  line=$(grep '^BENCH ' "$out" || true)
  [ -n "$line" ] || { cat "$out" >&2; die "wrk printed no BENCH line ($scenario)"; }
  line="$line foreign_cpu_pct=$foreign server_cores=$lobby_cpu wrk_cores=$(awk -v w="$wrk_cpu" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.2f", w / (t1 - t0) }')"
  echo "$line" >>"$BENCH_WORK/runs/$scenario"
  grep -q 'Non-2xx' "$out" && { log "WARNING $scenario: $(grep 'Non-2xx' "$out")"; }
  log "$scenario c$conns: $(echo "$line" | cut -d' ' -f2-)"
  if [ -n "$probe" ]; then
    line=$(grep '^BENCH ' "$pout" || true)
    [ -n "$line" ] || { cat "$pout" >&2; die "probe wrk printed no BENCH line ($probe)"; }
    echo "$line" >>"$BENCH_WORK/runs/$probe"
    log "$probe c1: $(echo "$line" | cut -d' ' -f2-)"
  fi
}

# ---------------------------------------------------------------------------------------------
# pgbench (rooms.sh, busy-room.sh)

FOREIGN_RERUN=${FOREIGN_RERUN:-30}
PGBENCH=$(command -v pgbench || ls -d /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -n 1 || true)

# pgbench_run SCENARIO SECONDS CLIENTS ARGS...: one measured pgbench run (-M prepared, CLIENTS clients,
# 2 threads, per-transaction log for the percentiles); appends a BENCH line in wrk's format
# (requests = transactions, non2xx = failed transactions) plus foreign CPU to runs/SCENARIO.
pgbench_run() {
  local scenario=$1 secs=$2 clients=$3
  shift 3
  local out="$BENCH_WORK/runs/.pgout" tfile="$BENCH_WORK/runs/.pgtime" logdir="$BENCH_WORK/runs/.pglog"
  local b0 o0 t0 b1 o1 t1 od pg_cpu foreign line tps failed n
  count_wrk_run
  rm -rf "$logdir" && mkdir -p "$logdir"
  wait_for_quiet
  b0=$(sys_busy); o0=$(ours_snapshot); t0=$(date +%s.%N)
  (
    cd "$logdir"
    TIMEFORMAT='%U %S'
    { time timeout $((secs + 60)) "$PGBENCH" -n -M prepared -c "$clients" -j "$((clients < 2 ? 1 : 2))" -T "$secs" -l --log-prefix=tx "$@" "$DATABASE_URL" >"$out" 2>&1; } 2>"$tfile"
  ) || { cat "$out" >&2; die "pgbench failed ($scenario)"; }
  b1=$(sys_busy); o1=$(ours_snapshot); t1=$(date +%s.%N)
  od=$(ours_delta "$o0" "$o1")
  pg_cpu=$(awk '{ print $1 + $2 }' "$tfile")
  foreign=$(awk -v b=$((b1 - b0)) -v o="$od" -v w="$pg_cpu" -v t0="$t0" -v t1="$t1" -v n="$NCPU" -v hz="$CLK_TCK" \
    'BEGIN { f = ((b - o) / hz - w) / ((t1 - t0) * n) * 100; if (f < 0) f = 0; printf "%.0f", f }')
  tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' "$out")
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out")
  n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
  [ -n "$tps" ] && [ -n "$n" ] || { cat "$out" >&2; die "pgbench printed no tps ($scenario)"; }
  # Log lines: client_id transaction_no time_us script_no epoch epoch_us; failed ones say "failed".
  line=$(cat "$logdir"/tx.* | awk '$3 ~ /^[0-9]+$/ { print $3 }' | sort -n | awk -v n="$n" -v tps="$tps" -v secs="$secs" -v failed="${failed:-0}" '
    { v[NR] = $1 }
    END {
      i50 = int(NR * 0.50); if (i50 < 1) i50 = 1
      i90 = int(NR * 0.90); if (i90 < 1) i90 = 1
      i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
      printf "BENCH requests=%d duration_s=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d connect_err=0 read_err=0 write_err=0 timeouts=0",
        n, secs, tps, v[i50] / 1000, v[i90] / 1000, v[i99] / 1000, v[NR] / 1000, failed
    }')
  line="$line foreign_cpu_pct=$foreign server_cores=$(awk -v o="$od" -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", o / hz / (t1 - t0) }') wrk_cores=$(awk -v w="$pg_cpu" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.2f", w / (t1 - t0) }')"
  echo "$line" >>"$BENCH_WORK/runs/$scenario"
  log "$scenario c$clients: $(echo "$line" | cut -d' ' -f2-)"
  rm -rf "$logdir"
}

# measured KIND SCENARIO ARGS...: wrk_run or pgbench_run; when the run's foreign CPU exceeds
# FOREIGN_RERUN %, its line moves to runs/SCENARIO.disturbed and the run is repeated once.
measured() {
  local kind=$1 scenario=$2 f
  shift 2
  "$kind" "$scenario" "$@"
  f=$(tail -n 1 "$BENCH_WORK/runs/$scenario" | field foreign_cpu_pct)
  if [ "$FOREIGN_RERUN" -gt 0 ] && [ "${f:-0}" -gt "$FOREIGN_RERUN" ]; then
    log "$scenario: foreign CPU ${f}% > ${FOREIGN_RERUN}%: setting the run aside and repeating it once"
    tail -n 1 "$BENCH_WORK/runs/$scenario" >>"$BENCH_WORK/runs/$scenario.disturbed"
    sed -i '$d' "$BENCH_WORK/runs/$scenario"
    "$kind" "$scenario" "$@"
  fi
}

# warmup CONNS LUA PATH: one unmeasured run of WARMUP length.
warmup() {
  count_wrk_run
  log "warm-up $WARMUP: $3 c$1"
  # shellcheck disable=SC2046
  $(wrk_cmd "$1" "$WARMUP" "$2" "$3") >"$BENCH_WORK/runs/.warmup" 2>&1 || true
}

# ---------------------------------------------------------------------------------------------
# Results

# field NAME < BENCH lines: that field's values, one a line
field() { grep -o "[[:space:]]$1=[^ ]*" | cut -d= -f2; }

# median < numbers
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# med_of SCENARIO FIELD: median of FIELD over the scenario's runs
med_of() { field "$2" <"$BENCH_WORK/runs/$1" | median; }

# total SCENARIO FIELD: sum over runs
total() { field "$2" <"$BENCH_WORK/runs/$1" | awk '{ s += $1 } END { print s + 0 }'; }

# maximum SCENARIO FIELD
maximum() { field "$2" <"$BENCH_WORK/runs/$1" | sort -g | tail -n 1; }

runs_of() { wc -l <"$BENCH_WORK/runs/$1" | tr -d ' '; }

# ratio A B: A/B as a percentage with one decimal
ratio_pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.1f%%", a / b * 100 }'; }

fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, v }'; }

# ---------------------------------------------------------------------------------------------
# Report preamble shared by every scenario: COMMIT, PGVER, DAY, and result_file NAME, which
# prints bench/results/NAME-<day>.md (or NAME-<day>-<HHMM>.md when that one exists already).
report_context() {
  COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "${BENCH_COMMIT:-unknown}")
  PGVER=$("$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1)" --version 2>/dev/null || echo "PostgreSQL unknown")
  DAY=$(date +%Y-%m-%d)
  mkdir -p "$BENCH_DIR/results"
}
result_file() {
  local f="$BENCH_DIR/results/$1-$DAY.md"
  [ ! -e "$f" ] || f="$BENCH_DIR/results/$1-$DAY-$(date +%H%M).md"
  echo "$f"
}
