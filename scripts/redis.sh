#!/usr/bin/env bash
# A throwaway Redis server for the tests of the real-time backplane.
#
#   scripts/redis.sh start DIR   start redis-server on a free loopback port, print redis URL (host:port)
#   scripts/redis.sh stop DIR    stop it
#
# Installs Debian's redis-server package when missing (needs root).
set -euo pipefail

ensure_binary() {
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "redis.sh: redis-server not found; install Debian's redis-server package" >&2
      exit 1
    fi
    echo "redis.sh: installing redis-server (apt-get install redis-server)" >&2
    # Wait for another apt or dpkg to let go of its lock, and show apt's own error on failure.
    local out
    if ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${APT_LOCK_TIMEOUT:-300}" update -qq 2>&1) \
      || ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${APT_LOCK_TIMEOUT:-300}" install -y -qq redis-server 2>&1); then
      echo "redis.sh: apt-get install redis-server failed:" >&2
      printf '%s\n' "$out" | tail -n 20 >&2
      exit 1
    fi
  fi
}

free_port() {
  local port
  for port in $(seq 56379 56479); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "redis.sh: no free port" >&2
  exit 1
}

start() {
  local dir=$1 port
  ensure_binary
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "127.0.0.1:$port"
      return
    fi
    sleep 0.1
  done
  echo "redis.sh: redis-server did not start; see $dir/redis.log" >&2
  exit 1
}

stop() {
  local dir=$1
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    rm -f "$dir/redis.pid"
  fi
}

case "${1:-}" in
  start) start "${2:?usage: redis.sh start DIR}" ;;
  stop) stop "${2:?usage: redis.sh stop DIR}" ;;
  *) echo "usage: redis.sh start|stop DIR" >&2; exit 2 ;;
esac
