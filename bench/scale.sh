#!/usr/bin/env bash
# Scale-out benchmark (issue 14): the same load through nginx, against one Lobby replica and
# against two replicas that share live state through Redis, interleaved round by round.
#
#   bash bench/scale.sh                    # SC_ROUNDS=3
#   SC_ROUNDS=1 DURATION=5s bash bench/scale.sh   # quicker, noisier
#   REPORT_ONLY=1 bash bench/scale.sh      # rebuild the report from the last raw runs
#
# Topologies (each started fresh for every round, nginx in front, deploy/nginx/nginx.conf with a
# static upstream: Debian's nginx 1.22 lacks `server ... resolve`):
#   one        one replica, no REDIS_URL (a single instance needs no Redis)
#   one-redis  one replica with REDIS_URL: what Redis itself costs (limits and events through it)
#   two        two replicas with REDIS_URL (shared limits, presence, events through Redis)
# Per topology and round:
#   posts  wrk -c$CONNS POST /rooms/{id}/messages spread over 8 users x 8 rooms (bench/lua/post_message.lua)
#   live   bench/realtime (SignalR .NET clients, skipNegotiation): SC_CONNECTIONS subscribers of one
#          room, SC_RATE posts/s for SC_SECONDS, posts and subscriptions both through nginx (so with
#          two replicas, half the posts and half the subscribers are on each): delivery p50/p99
#          from "201 received" to "event received", completeness and order per connection
# Every measured step holds the shared CPU lock. nginx, both replicas, Redis and PostgreSQL count
# as ours in the foreign-CPU figure. Writes bench/results/scale-<date>.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SC_ROUNDS=${SC_ROUNDS:-3}
CONNS=${CONNS:-32}
USERS=8
ROOMS=8
SC_CONNECTIONS=${SC_CONNECTIONS:-100}
SC_RATE=${SC_RATE:-100}
SC_SECONDS=${SC_SECONDS:-20}
SC_DRAIN=${SC_DRAIN:-10}
NGINX_PORT=${NGINX_PORT:-8090}
REPLICA_PORTS=(8091 8092)
FRONT_URL="http://127.0.0.1:$NGINX_PORT"

REPLICA_PIDS=()
NGINX_PID=""
REDIS_DIR=""

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

# nginx_conf N: deploy/nginx/nginx.conf for N local replicas, listening on 127.0.0.1:$NGINX_PORT,
# access log off (Lobby runs at LOG_LEVEL=Warning here too).
nginx_conf() {
  local n=$1 servers="" i
  for i in $(seq 0 $((n - 1))); do
    servers+="        server 127.0.0.1:${REPLICA_PORTS[$i]} max_fails=2 fail_timeout=10s;\n"
  done
  mkdir -p "$BENCH_WORK/nginx"
  sed -e "s|^pid .*|pid $BENCH_WORK/nginx/nginx.pid;|" \
      -e "s|^error_log .*|error_log $BENCH_WORK/nginx/error.log warn;|" \
      -e '/^ *resolver/d' \
      -e "s|^ *server api-replica:8080 .*|$servers|" \
      -e "s|include /etc/nginx/front-proxies.conf;|include $ROOT/deploy/nginx/front-proxies.conf;|" \
      -e "s|listen 8080;|listen 127.0.0.1:$NGINX_PORT;|" \
      -e "s|access_log /dev/stdout lobby_json;|access_log off;|" \
      "$ROOT/deploy/nginx/nginx.conf" >"$BENCH_WORK/nginx/nginx.conf"
  grep -q "127.0.0.1:${REPLICA_PORTS[0]}" "$BENCH_WORK/nginx/nginx.conf" || die "nginx.conf: the upstream server line was not rewritten"
}

start_redis() {
  REDIS_DIR="$BENCH_WORK/redis"
  rm -rf "$REDIS_DIR"
  REDIS_URL=$("$ROOT/scripts/redis.sh" start "$REDIS_DIR")
  EXTRA_PIDS=("$(cat "$REDIS_DIR/redis.pid")")
  log "Redis at $REDIS_URL"
}

# start_topology one|two
start_topology() {
  local topo=$1 n=1 i port logfile extra=()
  [ "$topo" = one ] || extra=(REDIS_URL="$REDIS_URL")
  [ "$topo" = two ] && n=2
  for i in $(seq 0 $((n - 1))); do
    port=${REPLICA_PORTS[$i]}
    LOBBY_START_COUNT=$((LOBBY_START_COUNT + 1))
    logfile="$BENCH_WORK/lobby-$topo-$LOBBY_START_COUNT.log"
    env ASPNETCORE_ENVIRONMENT=Production DATABASE_URL="$DATABASE_URL" JWT_SIGNING_KEYS="$BENCH_WORK/keys/k.pem" \
      ASPNETCORE_URLS="http://127.0.0.1:$port" LOG_LEVEL=Warning \
      AUTH_RATE_LIMIT_PER_IP=1000000 AUTH_RATE_LIMIT_PER_EMAIL=1000000 AUTH_RATE_LIMIT_PER_EMAIL_AND_IP=1000000 \
      MESSAGE_RATE_LIMIT_PER_MINUTE=1000000 ROOM_CREATE_RATE_LIMIT_PER_MINUTE=1000000 MEMBERSHIP_RATE_LIMIT_PER_MINUTE=1000000 \
      ACCESS_TOKEN_MINUTES=60 REALTIME_MAX_CONNECTIONS_PER_USER=100 "${extra[@]}" \
      "$BENCH_WORK/out/Lobby.Api" >"$logfile" 2>&1 9>&- &
    REPLICA_PIDS+=($!)
  done
  nginx_conf "$n"
  nginx -p "$BENCH_WORK/nginx" -c "$BENCH_WORK/nginx/nginx.conf" -g 'daemon off;' 9>&- &
  NGINX_PID=$!
  EXTRA_PIDS=("${EXTRA_PIDS[@]:0:1}" "${REPLICA_PIDS[@]}" "$NGINX_PID")
  for i in $(seq 0 $((n - 1))); do
    wait_ready "http://127.0.0.1:${REPLICA_PORTS[$i]}"
  done
  wait_ready "$FRONT_URL"
  # nginx's workers are children of its master: count them too.
  mapfile -t -O "${#EXTRA_PIDS[@]}" EXTRA_PIDS < <(ps -o pid= --ppid "$NGINX_PID" | tr -d ' ')
  log "topology $topo: $n replica(s) behind nginx at $FRONT_URL"
}

wait_ready() {
  local i
  for i in $(seq 1 120); do
    curl -fsS -o /dev/null "$1/health/ready" 2>/dev/null && return 0
    sleep 0.5
  done
  die "$1 not ready after 60 s"
}

stop_topology() {
  local pid
  for pid in "$NGINX_PID" "${REPLICA_PIDS[@]}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "$NGINX_PID" "${REPLICA_PIDS[@]}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  NGINX_PID=""
  REPLICA_PIDS=()
  EXTRA_PIDS=("${EXTRA_PIDS[@]:0:1}")
}

scale_cleanup() {
  stop_topology
  [ -z "$REDIS_DIR" ] || "$ROOT/scripts/redis.sh" stop "$REDIS_DIR" || true
  bench_cleanup
}

# live_run NAME: one bounded run of the realtime tool through nginx; its RT line plus foreign CPU to runs/NAME.
live_run() {
  local name=$1 out="$BENCH_WORK/runs/.rt" tfile="$BENCH_WORK/runs/.rttime" b0 o0 t0 b1 o1 t1 od tool_cpu foreign line
  wait_for_quiet
  b0=$(sys_busy); o0=$(ours_snapshot); t0=$(date +%s.%N)
  (
    TIMEFORMAT='%U %S'
    { time timeout $((SC_SECONDS + SC_DRAIN + 180)) dotnet "$BENCH_WORK/realtime/RealtimeLoad.dll" "$FRONT_URL" "$LIVE_ROOM" "$BENCH_WORK/tokens" \
        "$SC_CONNECTIONS" "$SC_RATE" "$SC_SECONDS" "$SC_DRAIN" >"$out" 2>"$out.err"; } 2>"$tfile"
  ) || { tail -n 30 "$out.err" >&2; die "the realtime tool failed ($name)"; }
  b1=$(sys_busy); o1=$(ours_snapshot); t1=$(date +%s.%N)
  od=$(ours_delta "$o0" "$o1")
  tool_cpu=$(awk '{ print $1 + $2 }' "$tfile")
  foreign=$(awk -v b=$((b1 - b0)) -v o="$od" -v w="$tool_cpu" -v t0="$t0" -v t1="$t1" -v n="$NCPU" -v hz="$CLK_TCK" \
    'BEGIN { f = ((b - o) / hz - w) / ((t1 - t0) * n) * 100; if (f < 0) f = 0; printf "%.0f", f }')
  line=$(grep '^RT ' "$out" || true)
  [ -n "$line" ] || { cat "$out" "$out.err" >&2; die "the realtime tool printed no RT line ($name)"; }
  echo "$line foreign_cpu_pct=$foreign" >>"$BENCH_WORK/runs/$name"
  log "$name: $(echo "$line" | tr ' ' '\n' | grep -E '^(deliveries_per_s|complete_conns|missing|duplicates|out_of_order|e2e_p50_ms|e2e_p99_ms|post_p99_ms)=' | paste -sd' ') foreign_cpu_pct=$foreign"
}

api() { # api METHOD PATH TOKEN [JSON]: prints the body; fails unless 2xx
  curl -fsS -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+--data "$4"} "$FRONT_URL$2"
}

if [ "${REPORT_ONLY:-0}" != 1 ]; then
command -v nginx >/dev/null || die "nginx not found: apt-get install -y nginx"
command -v jq >/dev/null || die "jq not found"
bench_init
trap scale_cleanup EXIT
for port in "$NGINX_PORT" "${REPLICA_PORTS[@]}"; do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "something already listens on 127.0.0.1:$port"
done
build
start_pg
make_key
start_redis

# Users and rooms, seeded once through one replica: user 1 owns every room and adds the others.
start_topology one
STAMP=$(date +%s)
TOKENS=() IDS=()
: >"$BENCH_WORK/tokens"
for u in $(seq 1 "$USERS"); do
  body=$(BASE_URL=$FRONT_URL post_json /api/v1/auth/register "{\"email\":\"bench-scale-$u-$STAMP@example.com\",\"password\":\"Bench-Pass-$STAMP-qzx\",\"displayName\":\"Scale $u\"}")
  TOKENS+=("$(echo "$body" | jq -r .accessToken)")
  IDS+=("$(echo "$body" | jq -r .user.id)")
  echo "${TOKENS[-1]}" >>"$BENCH_WORK/tokens"
done
WRITE_ROOMS=()
for r in $(seq 0 "$ROOMS"); do # ROOMS write rooms, then the live room
  id=$(api POST /api/v1/rooms "${TOKENS[0]}" "{\"name\":\"scale-$r-$STAMP\",\"topic\":\"bench\",\"visibility\":\"private\"}" | jq -r .id)
  for u in "${IDS[@]:1}"; do
    api POST "/api/v1/rooms/$id/members" "${TOKENS[0]}" "{\"userId\":\"$u\"}" >/dev/null
  done
  WRITE_ROOMS+=("$id")
done
LIVE_ROOM=${WRITE_ROOMS[-1]}
unset 'WRITE_ROOMS[-1]'
stop_topology
export BENCH_TOKENS="${TOKENS[*]}" BENCH_ROOMS="${WRITE_ROOMS[*]}"
log "$USERS users, $ROOMS write rooms, live room $LIVE_ROOM"

BASE_URL=$FRONT_URL
for i in $(seq 1 "$SC_ROUNDS"); do
  for topo in one one-redis two; do
    log "round $i/$SC_ROUNDS: $topo"
    start_topology "$topo"
    cpu_lock "scale round $i $topo"
    warmup "$CONNS" post_message.lua /
    timeout 60 dotnet "$BENCH_WORK/realtime/RealtimeLoad.dll" "$FRONT_URL" "$LIVE_ROOM" "$BENCH_WORK/tokens" 10 20 3 3 >/dev/null 2>&1 || die "live warm-up failed ($topo)"
    wrk_run "posts-$topo" "$CONNS" "$DURATION" post_message.lua /
    live_run "live-$topo"
    cpu_unlock
    stop_topology
  done
done

psql_exec "DO \$\$ BEGIN IF EXISTS (
  SELECT 1 FROM rooms r LEFT JOIN (SELECT room_id, count(*) n, max(seq) mx FROM messages GROUP BY room_id) m ON m.room_id = r.id
  WHERE coalesce(m.n, 0) <> r.last_seq OR coalesce(m.mx, 0) <> r.last_seq) THEN RAISE EXCEPTION 'seq gap or mismatch'; END IF; END \$\$"
log "integrity: every room numbered 1..last_seq without gaps"
fi

# ---------------------------------------------------------------------------------------------
# Report
errors_of() { echo $(($(total "$1" connect_err) + $(total "$1" read_err) + $(total "$1" write_err) + $(total "$1" timeouts) + $(total "$1" non2xx))); }
P1=$(med_of posts-one rps); P2=$(med_of posts-two rps); PR=$(med_of posts-one-redis rps)
L1=$(med_of live-one e2e_p99_ms); L2=$(med_of live-two e2e_p99_ms)
report_context
RESULT=$(result_file scale)
live_row() { # live_row LABEL NAME
  printf '| %s | %s | %s | %s | %s | %s | %s/%s | %s | %s | %s%% |\n' "$1" "$SC_CONNECTIONS" "$(fmt "$(med_of "$2" deliveries_per_s)" 0)" \
    "$(fmt "$(med_of "$2" e2e_p50_ms)" 2)" "$(fmt "$(med_of "$2" e2e_p99_ms)" 2)" "$(fmt "$(med_of "$2" post_p99_ms)" 2)" \
    "$(field complete_conns <"$BENCH_WORK/runs/$2" | sort -g | head -n 1)" "$SC_CONNECTIONS" \
    "$(total "$2" missing)" "$(($(total "$2" duplicates) + $(total "$2" out_of_order)))" "$(maximum "$2" foreign_cpu_pct)"
}
{
  echo "# Lobby scale-out benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- Commit: $COMMIT; Release publish, Production, \`LOG_LEVEL=Warning\`, nginx $(nginx -v 2>&1 | sed 's|.*/||') in front (deploy/nginx/nginx.conf, static upstream, access log off), Redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') for two replicas"
  echo "- Machine: $NCPU × $(lscpu | sed -n 's/^Model name: *//p' | head -n 1); load generator, nginx, every replica, Redis and PostgreSQL on the same box"
  echo "- $SC_ROUNDS rounds, topologies interleaved, each started fresh per round; medians"
  echo
  echo "| Posts through nginx | Conns | Requests/s | p50 ms | p99 ms | vs one replica | Errors | Foreign CPU (max) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '| one replica | %s | %s | %s | %s | 100%% | %s | %s%% |\n' "$CONNS" "$(fmt "$P1" 1)" "$(fmt "$(med_of posts-one p50_ms)" 2)" "$(fmt "$(med_of posts-one p99_ms)" 2)" "$(errors_of posts-one)" "$(maximum posts-one foreign_cpu_pct)"
  printf '| one replica + Redis | %s | %s | %s | %s | %s | %s | %s%% |\n' "$CONNS" "$(fmt "$PR" 1)" "$(fmt "$(med_of posts-one-redis p50_ms)" 2)" "$(fmt "$(med_of posts-one-redis p99_ms)" 2)" "$(ratio_pct "$PR" "$P1")" "$(errors_of posts-one-redis)" "$(maximum posts-one-redis foreign_cpu_pct)"
  printf '| two replicas + Redis | %s | %s | %s | %s | %s | %s | %s%% |\n' "$CONNS" "$(fmt "$P2" 1)" "$(fmt "$(med_of posts-two p50_ms)" 2)" "$(fmt "$(med_of posts-two p99_ms)" 2)" "$(ratio_pct "$P2" "$P1")" "$(errors_of posts-two)" "$(maximum posts-two foreign_cpu_pct)"
  echo
  echo "| Live delivery through nginx ($SC_RATE posts/s, ${SC_SECONDS} s) | Subscribers | Deliveries/s | p50 ms | p99 ms | POST p99 ms | Complete conns (min) | Missing | Dup + out of order | Foreign CPU (max) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  live_row "one replica" live-one
  live_row "one replica + Redis" live-one-redis
  live_row "two replicas + Redis" live-two
  echo
  echo "- Delivery p99 two/one: $(ratio_pct "$L2" "$L1"). Every room was numbered 1..last_seq without a gap afterwards."
  echo
  echo "<details><summary>Raw runs</summary>"
  echo
  echo '```'
  for s in posts-one posts-one-redis posts-two live-one live-one-redis live-two; do sed "s/^\(BENCH\|RT\) /$s /" "$BENCH_WORK/runs/$s"; done
  echo '```'
  echo
  echo "</details>"
} | tee "$RESULT"
log "written to $RESULT"
