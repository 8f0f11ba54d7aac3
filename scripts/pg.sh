#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from the local server binaries, for development and tests.
#
#   scripts/pg.sh start DIR   initdb DIR if new, start it on a free loopback port, print its URL
#   scripts/pg.sh stop DIR    stop it (fast shutdown)
#   scripts/pg.sh url DIR     print the URL of the running cluster (fails when DIR has none)
#   scripts/pg.sh status DIR  exit 0 when the cluster in DIR is running, 1 otherwise
#
# Installs Debian's postgresql package when the binaries are missing. PostgreSQL refuses to run
# as root, so as root the cluster is owned and run by the `postgres` user.
set -euo pipefail

find_bin() {
  local name=$1
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && echo "$found"
}

ensure_binaries() {
  if [ -z "$(find_bin pg_ctl)" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "pg.sh: PostgreSQL server binaries not found; install Debian's postgresql package" >&2
      exit 1
    fi
    echo "pg.sh: installing PostgreSQL server binaries (apt-get install postgresql)" >&2
    apt_install postgresql || exit 1
  fi
  INITDB=$(find_bin initdb)
  PG_CTL=$(find_bin pg_ctl)
}

# apt-get install PACKAGE, waiting for another apt or dpkg to let go of its lock instead of failing
# at once, and showing apt's own error when it fails.
apt_install() {
  local out
  if ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${APT_LOCK_TIMEOUT:-300}" update -qq 2>&1) \
    || ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${APT_LOCK_TIMEOUT:-300}" install -y -qq "$@" 2>&1); then
    echo "pg.sh: apt-get install $* failed:" >&2
    printf '%s\n' "$out" | tail -n 20 >&2
    return 1
  fi
}

# Runs a command as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for port in $(seq 55432 55632); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "pg.sh: no free port in 55432-55632" >&2
  exit 1
}

url_of() {
  local dir=$1
  echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

running() {
  local dir=$1
  [ -f "$dir/data/PG_VERSION" ] || return 1
  ensure_binaries
  as_owner "$PG_CTL" -D "$dir/data" status >/dev/null 2>&1
}

url() {
  local dir=$1
  if [ ! -f "$dir/data/PG_VERSION" ] || [ ! -f "$dir/port" ]; then
    echo "pg.sh: $dir holds no cluster (start one with: scripts/pg.sh start $dir)" >&2
    exit 1
  fi
  if ! running "$dir"; then
    echo "pg.sh: the cluster in $dir is not running (start it with: scripts/pg.sh start $dir)" >&2
    exit 1
  fi
  url_of "$dir"
}

start() {
  local dir=$1
  ensure_binaries
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "pg.sh: user postgres cannot reach $dir (a parent folder is not traversable); choose another folder" >&2
      exit 1
    fi
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$INITDB" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if as_owner "$PG_CTL" -D "$dir/data" status >/dev/null 2>&1; then
    url_of "$dir"
    return
  fi
  local port=""
  # Keep the previous port when it is still free, so a restarted cluster keeps its URL.
  if [ -f "$dir/port" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$(cat "$dir/port")") 2>/dev/null; then
    port=$(cat "$dir/port")
  fi
  [ -n "$port" ] || port=$(free_port)
  echo "$port" >"$dir/port"
  # Loopback only, socket in the cluster folder, settings sized for a laptop or CI box.
  as_owner "$PG_CTL" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c fsync=${PG_FSYNC:-on} -c synchronous_commit=${PG_SYNCHRONOUS_COMMIT:-on}" \
    start >/dev/null || { tail -n 20 "$dir/server.log" >&2; exit 1; }
  url_of "$dir"
}

stop() {
  local dir=$1
  ensure_binaries
  [ -f "$dir/data/PG_VERSION" ] || return 0
  as_owner "$PG_CTL" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start "${2:?usage: pg.sh start DIR}" ;;
  stop) stop "${2:?usage: pg.sh stop DIR}" ;;
  url) url "${2:?usage: pg.sh url DIR}" ;;
  status) running "${2:?usage: pg.sh status DIR}" ;;
  *) echo "usage: pg.sh start|stop|url|status DIR" >&2; exit 2 ;;
esac
