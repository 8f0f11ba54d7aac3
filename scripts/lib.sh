# Shared by scripts/run.sh and scripts/test.sh. Source it; it defines ROOT and cluster_dir.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Where a throwaway cluster lives: .data/NAME in the project, unless we are root and the
# `postgres` user cannot reach the project folder (a clone under /root), then /tmp.
cluster_dir() {
  local name=$1
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    echo "/tmp/lobby-$(echo "$ROOT" | md5sum | cut -c1-8)/$name"
  else
    echo "$ROOT/.data/$name"
  fi
}

# apt-get install PACKAGES when we are root, waiting for another apt or dpkg to let go of its lock
# instead of failing at once; prints apt's own error and returns 1 when it fails.
apt_install() {
  local out
  [ "$(id -u)" -eq 0 ] || { echo "apt-get install $* needs root" >&2; return 1; }
  if ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${APT_LOCK_TIMEOUT:-300}" update -qq 2>&1) \
    || ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${APT_LOCK_TIMEOUT:-300}" install -y -qq "$@" 2>&1); then
    echo "apt-get install $* failed:" >&2
    printf '%s\n' "$out" | tail -n 20 >&2
    return 1
  fi
}
