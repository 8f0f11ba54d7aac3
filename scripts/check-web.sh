#!/usr/bin/env bash
# The web client (web/), checked in the test command:
#
#   a. `tsc --noEmit` over the app, its unit tests and clients/typescript, which it imports;
#   b. `vite build` into web/dist (what Lobby serves at /), without source maps, with its icon;
#   c. the unit tests (Vitest): the message store, the room lists, the outbox, read tracking,
#      presence and typing, error texts;
#   d. the end-to-end tests (node --test + playwright-core driving Debian's Chromium): two users,
#      live messages, a dropped connection and a reload, the offline queue, the phone layout and
#      more, against the built Lobby (LOBBY_BINARY, else Lobby.Api.dll) serving web/dist on a free loopback port over a fresh
#      database on LOBBY_TEST_DATABASE_URL's server (skipped when that is not set). Chromium is
#      installed with apt when missing and we are root. Screenshots go to artifacts/e2e/room.png,
#      room-1280x800.png and room-390x844.png.
#
# npm packages are pinned by web/package-lock.json and installed with `npm ci` when it changes.
# Prints "check-web: ok|FAIL <what>" per check, then "check-web: N passed, N failed, N skipped"
# where each Vitest and node test counts as one.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "check-web: ok   $1"; }
fail() {
  failed=$((failed + 1)); echo "check-web: FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /' | head -n 80
  return 0
}
finish() {
  echo "check-web: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit
}

web="$ROOT/web"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are installed" "install Node.js >= 20.19"
  finish
fi
# Same stamp as scripts/check-client.sh and scripts/run.sh: whoever installs first, the others skip.
install() {
  local dir=$1 stamp want out
  stamp="$dir/node_modules/.check-client-lock"
  want=$(cd "$dir" && sha256sum package.json package-lock.json | sha256sum | cut -c1-64)
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  if out=$(cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error 2>&1); then
    echo "$want" >"$stamp"
    pass "npm ci in ${dir#"$ROOT"/}"
  else
    fail "npm ci in ${dir#"$ROOT"/}" "$out"
    finish
  fi
}
install "$ROOT/clients/typescript"
install "$web"

# --- a. typecheck -----------------------------------------------------------------------------
if out=$(cd "$web" && node_modules/.bin/tsc --noEmit 2>&1); then
  pass "tsc --noEmit (web)"
else
  fail "tsc --noEmit (web)" "$out"
fi

# --- b. build ---------------------------------------------------------------------------------
if out=$(cd "$web" && node_modules/.bin/vite build --logLevel warn 2>&1) && [ -f "$web/dist/index.html" ]; then
  pass "vite build (web/dist)"
else
  fail "vite build (web/dist)" "$out"
  finish
fi

# What the build ships: no source maps (they would publish the TypeScript sources), and the icon
# index.html names is there (without one, every page load 404s on /favicon.ico).
maps=$(find "$web/dist" -name '*.map' | sed "s|$web/||"; grep -rl 'sourceMappingURL' "$web/dist" 2>/dev/null | sed "s|$web/||")
if [ -z "$maps" ]; then pass "web/dist has no source maps"; else fail "web/dist has no source maps" "$maps"; fi
icon=$(grep -o '<link rel="icon"[^>]*href="/[^"]*"' "$web/dist/index.html" | sed 's/.*href="\/\([^"]*\)"/\1/')
if [ -n "$icon" ] && [ -f "$web/dist/$icon" ]; then pass "web/dist/index.html names an icon that exists ($icon)"; else fail "web/dist/index.html names an icon that exists" "icon: '${icon}'"; fi

# --- c. unit tests ----------------------------------------------------------------------------
junit="$ROOT/artifacts/test-results/web-vitest.xml"
mkdir -p "$(dirname "$junit")"
rm -f "$junit"
out=$(cd "$web" && NO_COLOR=1 node_modules/.bin/vitest run --reporter=default --reporter=junit --outputFile.junit="$junit" 2>&1); rc=$?
echo "check-web: vitest run"
printf '%s\n' "$out" | grep -E '✓|×|Test Files|Tests ' | sed 's/^/    /'
if [ -f "$junit" ]; then
  suite=$(grep -o '<testsuites [^>]*>' "$junit" | head -n 1)
  attr() { echo "$suite" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(attr tests) fails=$(( $(attr failures) + $(attr errors) )) skips=$(attr skipped)
  passed=$((passed + total - fails - skips)); failed=$((failed + fails)); skipped=$((skipped + skips))
fi
if [ "$rc" -ne 0 ]; then
  # Failed tests are counted from the report; a run that failed without any (no tests, a crash) is one failure.
  if [ "${fails:-0}" -gt 0 ]; then printf '%s\n' "$out" | sed 's/^/    /' | head -n 80; else fail "vitest run" "$out"; fi
fi

# --- d. end to end in Chromium ----------------------------------------------------------------
admin_url=${LOBBY_TEST_DATABASE_URL:-}
if [ -z "$admin_url" ]; then
  echo "check-web: skip end-to-end test (LOBBY_TEST_DATABASE_URL is not set; scripts/test.sh sets it)"
  skipped=$((skipped + 1))
  finish
fi
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
apt_error=""
if [ ! -x "$chromium" ] && [ "$(id -u)" -eq 0 ]; then
  echo "check-web: installing Debian's chromium (apt-get, waiting up to ${APT_LOCK_TIMEOUT:-300} s for another apt to finish)"
  # DPkg::Lock::Timeout: another apt or dpkg running is a reason to wait, not to fail.
  if ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${APT_LOCK_TIMEOUT:-300}" update -qq 2>&1) \
    || ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${APT_LOCK_TIMEOUT:-300}" install -y -qq chromium 2>&1); then
    apt_error=$(printf 'apt-get install chromium failed:\n%s' "$(printf '%s\n' "$out" | tail -n 20)")
  fi
fi
if [ ! -x "$chromium" ]; then
  fail "end-to-end: Chromium at $chromium" "${apt_error:-install it: sudo apt-get install chromium (or set CHROMIUM_PATH)}"
  finish
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lobby-check-web.XXXXXX")
server_pid="" database="" smtp_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  if [ -n "$smtp_pid" ]; then kill "$smtp_pid" 2>/dev/null; wait "$smtp_pid" 2>/dev/null; fi
  if [ -n "$database" ]; then psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Mail goes to a real SMTP server (web/e2e/smtp-sink.mjs) that files each message under $tmp/mail.
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
smtp_port=$(free_port)
e2e_port=$(free_port)
(cd "$web" && exec node e2e/smtp-sink.mjs "$smtp_port" "$tmp/mail") >"$tmp/smtp.log" 2>&1 &
smtp_pid=$!
for _ in $(seq 1 40); do grep -q listening "$tmp/smtp.log" 2>/dev/null && break; sleep 0.25; done

source "$ROOT/scripts/e2e-lobby.sh"
# Every e2e person signs up and in from 127.0.0.1, so the per-IP sign-in limit (tested in the
# integration tests) is lifted here; the per-email limits stay as shipped. The room list's "Load
# more" needs more rooms than a page (50), made by one person, so the room-creation limit is too.
start_e2e_lobby lobby_web WEB_ROOT="$web/dist" SMTP_URL="smtp://127.0.0.1:$smtp_port" MAIL_FROM="Lobby <no-reply@e2e.test>" \
  PUBLIC_BASE_URL="http://127.0.0.1:$e2e_port" MAIL_POLL_SECONDS=1 MAIL_RETRY_SECONDS=1 AUTH_RATE_LIMIT_PER_IP=1000 ROOM_CREATE_RATE_LIMIT_PER_MINUTE=1000

echo "check-web: node --test web/e2e/*.e2e.test.mjs (Lobby at $e2e_url, database $database)"
# One file at a time: two Chromiums at once would fight over two cores.
out=$(cd "$web" && LOBBY_E2E_URL="$e2e_url" LOBBY_E2E_MAIL_DIR="$tmp/mail" CHROMIUM_PATH="$chromium" \
  node --test --test-concurrency=1 --test-reporter=tap e2e/room.e2e.test.mjs e2e/account.e2e.test.mjs 2>&1); rc=$?
printf '%s\n' "$out" | grep -E '^(not )?ok |^# (pass|fail|skipped) ' | sed 's/^/    /'
n=$(printf '%s\n' "$out" | sed -n 's/^# pass //p' | tail -n 1); passed=$((passed + ${n:-0}))
n=$(printf '%s\n' "$out" | sed -n 's/^# skipped //p' | tail -n 1); skipped=$((skipped + ${n:-0}))
n=$(printf '%s\n' "$out" | sed -n 's/^# fail //p' | tail -n 1); failed=$((failed + ${n:-0}))
if [ "$rc" -ne 0 ]; then
  [ "${n:-0}" -eq 0 ] && fail "node --test e2e/*.e2e.test.mjs ran"
  printf '%s\n' "$out" | sed 's/^/    /' | head -n 80
  echo "    server log (last 20 lines):"; tail -n 20 "$tmp/server.log" | sed 's/^/    /'
fi
finish
