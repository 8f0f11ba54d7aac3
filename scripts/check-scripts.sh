#!/usr/bin/env bash
# The developer scripts behave as the README says, checked in the test command:
#
#   a. `pg.sh url DIR` fails with a clear message when DIR holds no running cluster;
#   b. `run.sh migrate status` leaves a development cluster it did not start running, and stops
#      one it started;
#   c. `run.sh` prints one line once Lobby is ready (the address, /docs, how to stop), and Ctrl-C
#      stops it (over a fresh database on LOBBY_TEST_DATABASE_URL's server; skipped without it);
#   d. apt-get waits for the dpkg lock and its error is shown when it fails (a stand-in apt-get
#      that reports a held lock).
#
# Prints "check-scripts: ok|FAIL <what>" per check, then "check-scripts: N passed, N failed, N skipped".
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "check-scripts: ok   $1"; }
fail() {
  failed=$((failed + 1)); echo "check-scripts: FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /' | head -n 40
  return 0
}
finish() {
  echo "check-scripts: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lobby-check-scripts.XXXXXX")
chmod 755 "$tmp"
run_pid="" database="" admin_url=${LOBBY_TEST_DATABASE_URL:-}
cleanup() {
  if [ -n "$run_pid" ]; then kill -TERM "$run_pid" 2>/dev/null; wait "$run_pid" 2>/dev/null; fi
  if [ -n "$database" ]; then psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1; fi
  scripts/pg.sh stop "$tmp/pg" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- a. pg.sh url -----------------------------------------------------------------------------
out=$(scripts/pg.sh url "$tmp/nothing-here" 2>&1); rc=$?
if [ "$rc" -ne 0 ] && grep -q "$tmp/nothing-here holds no cluster" <<<"$out" && ! grep -q 'postgres://' <<<"$out"; then
  pass "pg.sh url on a folder without a cluster fails naming it"
else
  fail "pg.sh url on a folder without a cluster fails naming it" "exit $rc: $out"
fi
if scripts/pg.sh start "$tmp/pg" >/dev/null 2>&1 && scripts/pg.sh stop "$tmp/pg"; then
  out=$(scripts/pg.sh url "$tmp/pg" 2>&1); rc=$?
  if [ "$rc" -ne 0 ] && grep -q "is not running" <<<"$out"; then
    pass "pg.sh url on a stopped cluster fails saying so"
  else
    fail "pg.sh url on a stopped cluster fails saying so" "exit $rc: $out"
  fi
else
  fail "pg.sh start/stop a cluster in $tmp/pg"
fi

# --- b. run.sh migrate status and the development cluster -------------------------------------
dev=$(cluster_dir pg)
was_running=0
scripts/pg.sh status "$dev" && was_running=1
if [ "$was_running" -eq 0 ]; then
  out=$(env -u DATABASE_URL scripts/run.sh migrate status 2>&1); rc=$?
  if [ "$rc" -eq 0 ] && ! scripts/pg.sh status "$dev"; then
    pass "run.sh migrate status stops the development cluster it started"
  else
    fail "run.sh migrate status stops the development cluster it started" "exit $rc: $(tail -n 20 <<<"$out")"
  fi
  scripts/pg.sh start "$dev" >/dev/null
fi
out=$(env -u DATABASE_URL scripts/run.sh migrate status 2>&1); rc=$?
if [ "$rc" -eq 0 ] && scripts/pg.sh status "$dev"; then
  pass "run.sh migrate status leaves a running development cluster running"
else
  fail "run.sh migrate status leaves a running development cluster running" "exit $rc: $(tail -n 20 <<<"$out")"
fi
[ "$was_running" -eq 1 ] || scripts/pg.sh stop "$dev"

# --- c. run.sh says where Lobby is ------------------------------------------------------------
if [ -z "$admin_url" ]; then
  echo "check-scripts: skip run.sh ready line (LOBBY_TEST_DATABASE_URL is not set; scripts/test.sh sets it)"
  skipped=$((skipped + 1))
else
  database="lobby_run_$(date +%s)_$$"
  base=${admin_url%%\?*}
  query=""
  [ "$base" != "$admin_url" ] && query="?${admin_url#*\?}"
  psql "$admin_url" -qAtc "CREATE DATABASE \"$database\"" >/dev/null
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  # env --default-signal: a background job of a script starts with SIGINT ignored, and Ctrl-C is
  # what this checks, as a terminal would send it.
  DATABASE_URL="${base%/*}/$database$query" ASPNETCORE_URLS="http://127.0.0.1:$port" LOG_LEVEL=Warning \
    env --default-signal=INT scripts/run.sh >"$tmp/run.log" 2>&1 &
  run_pid=$!
  want="run.sh: Lobby is ready at http://127.0.0.1:$port, API reference at http://127.0.0.1:$port/docs. Press Ctrl-C to stop it."
  for _ in $(seq 1 480); do
    grep -qF "$want" "$tmp/run.log" && break
    kill -0 "$run_pid" 2>/dev/null || break
    sleep 0.25
  done
  if grep -qF "$want" "$tmp/run.log" && node -e "fetch('http://127.0.0.1:$port/docs').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    pass "run.sh prints where Lobby and /docs are once it is ready"
  else
    fail "run.sh prints where Lobby and /docs are once it is ready" "$(tail -n 20 "$tmp/run.log")"
  fi
  # Ctrl-C: SIGINT to run.sh, as a terminal sends it.
  kill -INT "$run_pid" 2>/dev/null
  stopped=0
  for _ in $(seq 1 120); do
    if ! kill -0 "$run_pid" 2>/dev/null; then stopped=1; break; fi
    sleep 0.25
  done
  if [ "$stopped" -ne 1 ]; then
    fail "Ctrl-C stops run.sh and Lobby" "run.sh still running after 30 s: $(tail -n 10 "$tmp/run.log")"
  elif node -e "fetch('http://127.0.0.1:$port/health/live').then(()=>process.exit(0),()=>process.exit(1))"; then
    run_pid=""
    fail "Ctrl-C stops run.sh and Lobby" "Lobby still answers on $port"
  else
    run_pid=""
    pass "Ctrl-C stops run.sh and Lobby"
  fi
fi

# --- d. apt and the dpkg lock -----------------------------------------------------------------
# A PATH with the few tools redis.sh needs, no redis-server, and an apt-get that finds the
# lock held (as when unattended-upgrades runs) and records how it was called.
fake="$tmp/fakebin"
mkdir -p "$fake"
for tool in id tail mkdir cat; do ln -s "$(command -v "$tool")" "$fake/$tool"; done
cat >"$fake/apt-get" <<EOF
#!$BASH
echo "\$*" >>"$tmp/apt-calls"
echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)" >&2
exit 100
EOF
chmod +x "$fake/apt-get"
if [ "$(id -u)" -eq 0 ]; then
  out=$(PATH="$fake" "$BASH" scripts/redis.sh start "$tmp/redis" 2>&1); rc=$?
  if [ "$rc" -ne 0 ] && grep -q "Could not get lock" <<<"$out" && grep -q -- "-o DPkg::Lock::Timeout=" "$tmp/apt-calls" 2>/dev/null; then
    pass "redis.sh waits for the dpkg lock and shows apt's error"
  else
    fail "redis.sh waits for the dpkg lock and shows apt's error" "exit $rc: $out; apt-get called with: $(cat "$tmp/apt-calls" 2>/dev/null)"
  fi
else
  echo "check-scripts: skip redis.sh apt check (installs only as root)"
  skipped=$((skipped + 1))
fi
missing=$(grep -L 'DPkg::Lock::Timeout' scripts/pg.sh scripts/redis.sh scripts/check-web.sh)
if [ -z "$missing" ]; then
  pass "pg.sh, redis.sh and check-web.sh give apt-get a dpkg lock timeout"
else
  fail "pg.sh, redis.sh and check-web.sh give apt-get a dpkg lock timeout" "missing in: $missing"
fi

finish
