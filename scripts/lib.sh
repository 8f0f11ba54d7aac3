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
