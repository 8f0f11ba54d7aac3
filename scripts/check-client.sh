#!/usr/bin/env bash
# The API contract and its TypeScript client, checked in the test command:
#
#   a. lint: Redocly CLI on api/openapi/openapi.yaml (redocly.yaml; errors fail, and the
#      recommended-strict ruleset makes every warning an error);
#   b. clients/typescript/src/schema.d.ts is what openapi-typescript makes of the committed
#      contract (regenerate both with scripts/openapi.sh);
#   c. `tsc --noEmit` over the client and its tests;
#   d. the client's unit tests (node --test): token handling, single-flight refresh;
#   e. the end-to-end test (node --test): register -> login -> create room -> post -> list,
#      through the client, against the built Lobby (LOBBY_BINARY, else Lobby.Api.dll) served on a free loopback port over a
#      fresh database on LOBBY_TEST_DATABASE_URL's server (skipped when that is not set);
#   f. the package as another project uses it: `npm pack`, a scratch project installs the tarball
#      (and another one the folder), `tsc` with skipLibCheck rejects a typo in a request body, and
#      the README's client example compiles and runs in Node against that same Lobby.
#
# npm packages are pinned by the lock files in clients/typescript and tools/openapi-lint and
# installed with `npm ci` when a lock file changes. Needs Node >= 20.19.
# Prints "check-client: ok|FAIL <what>" per check, then "check-client: N passed, N failed, N skipped"
# where each node test counts as one.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "check-client: ok   $1"; }
fail() {
  failed=$((failed + 1)); echo "check-client: FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /' | head -n 60
  return 0
}
finish() {
  echo "check-client: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit
}

client="$ROOT/clients/typescript"
lint="$ROOT/tools/openapi-lint"

# --- tools ------------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are installed" "install Node.js >= 20.19"
  finish
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  fail "Node.js >= 20.19" "found $(node --version)"
  finish
fi
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
install "$lint"
install "$client"

# --- a. lint ----------------------------------------------------------------------------------
# Redocly prints a Node 20 end-of-life banner; it is not a finding.
if out=$("$lint/node_modules/.bin/redocly" lint api/openapi/openapi.yaml --config redocly.yaml --format=stylish 2>&1); then
  pass "redocly lint api/openapi/openapi.yaml (recommended-strict: 0 errors, 0 warnings)"
else
  fail "redocly lint api/openapi/openapi.yaml" "$(printf '%s\n' "$out" | grep -v '[║╔╚]')"
fi

# --- b. generated types in sync ---------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lobby-check-client.XXXXXX")
server_pid=""
database=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  if [ -n "$database" ]; then psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
if out=$(cd "$client" && node_modules/.bin/openapi-typescript ../../api/openapi/openapi.yaml --output "$tmp/schema.d.ts" 2>&1) \
  && diff -q "$tmp/schema.d.ts" "$client/src/schema.d.ts" >/dev/null; then
  pass "clients/typescript/src/schema.d.ts matches api/openapi/openapi.yaml"
else
  fail "clients/typescript/src/schema.d.ts matches api/openapi/openapi.yaml" \
    "$(printf '%s\n' "$out"; diff "$client/src/schema.d.ts" "$tmp/schema.d.ts" 2>&1 | head -n 20; echo "regenerate with: scripts/openapi.sh")"
fi

# --- c. typecheck -----------------------------------------------------------------------------
if out=$(cd "$client" && node_modules/.bin/tsc --noEmit 2>&1); then
  pass "tsc --noEmit (clients/typescript)"
else
  fail "tsc --noEmit (clients/typescript)" "$out"
  finish
fi
rm -rf "$client/build"
# Just checked above: emit the JavaScript for node without checking the types a second time.
if ! out=$(cd "$client" && node_modules/.bin/tsc --outDir build --noCheck 2>&1); then
  fail "tsc --outDir build (clients/typescript)" "$out"
  finish
fi

# Runs node's test runner on FILE; each of its tests counts.
node_tests() {
  local file=$1 out rc n
  out=$(cd "$client" && node --test --test-reporter=tap "$file" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -E '^(not )?ok |^# (pass|fail|skipped) ' | sed 's/^/    /'
  n=$(printf '%s\n' "$out" | sed -n 's/^# pass //p' | tail -n 1); passed=$((passed + ${n:-0}))
  n=$(printf '%s\n' "$out" | sed -n 's/^# skipped //p' | tail -n 1); skipped=$((skipped + ${n:-0}))
  n=$(printf '%s\n' "$out" | sed -n 's/^# fail //p' | tail -n 1); failed=$((failed + ${n:-0}))
  if [ "$rc" -ne 0 ] && [ "${n:-0}" -eq 0 ]; then
    fail "node --test $file ran" "$out"
  elif [ "$rc" -ne 0 ]; then
    printf '%s\n' "$out" | sed 's/^/    /' | head -n 60
  fi
}

# --- d. unit tests ----------------------------------------------------------------------------
echo "check-client: node --test build/test/refresh.test.js"
node_tests build/test/refresh.test.js

# --- e. end to end against a real Lobby -------------------------------------------------------
admin_url=${LOBBY_TEST_DATABASE_URL:-}
if [ -z "$admin_url" ]; then
  echo "check-client: skip end-to-end test (LOBBY_TEST_DATABASE_URL is not set; scripts/test.sh sets it)"
  skipped=$((skipped + 1))
  finish
fi
source "$ROOT/scripts/e2e-lobby.sh"
start_e2e_lobby lobby_ts
echo "check-client: node --test build/test/e2e.test.js (Lobby at $e2e_url, database $database)"
LOBBY_E2E_URL="$e2e_url" node_tests build/test/e2e.test.js

# --- f. the package, installed elsewhere -----------------------------------------------------
tarball=""
if out=$(cd "$client" && npm pack --pack-destination "$tmp" --loglevel=error 2>&1) && tarball="$tmp/$(tail -n 1 <<<"$out")" && [ -f "$tarball" ]; then
  listing=$(tar -tzf "$tarball")
  if grep -qx 'package/dist/index.js' <<<"$listing" && grep -qx 'package/dist/index.d.ts' <<<"$listing" \
    && grep -qx 'package/dist/schema.d.ts' <<<"$listing" && ! grep -q 'package/src/\|package/test/' <<<"$listing"; then
    pass "npm pack: dist/index.js, dist/index.d.ts and the schema types it imports, no sources or tests"
  else
    fail "npm pack: dist/index.js, dist/index.d.ts and the schema types it imports, no sources or tests" "$listing"
  fi
else
  fail "npm pack (clients/typescript)" "$out"
  finish
fi

# The README's example, as written, pointed at the Lobby started above.
example=$(awk '/check-client.sh compiles and runs this example/ { on = 1; next } on && /^```ts/ { inside = 1; next } inside && /^```/ { exit } inside { print }' README.md)
if [ -z "$example" ]; then
  fail "README.md has the client example" "no ts code block after the check-client marker"
  finish
fi
# A consumer's strict project, with skipLibCheck: broken package types would pass unnoticed there.
scratch_project() {
  local dir=$1 from=$2 what out
  what="installed from the tarball"
  [ "$from" = "$client" ] && what="installed from the folder"
  mkdir -p "$dir"
  printf '{ "name": "scratch", "version": "1.0.0", "private": true, "type": "module" }\n' >"$dir/package.json"
  printf '%s\n' '{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",' \
    '  "lib": ["ES2022", "DOM"], "types": [], "strict": true, "skipLibCheck": true, "outDir": "out" }, "include": ["*.ts"] }' >"$dir/tsconfig.json"
  if ! out=$(cd "$dir" && npm install --prefer-offline --no-audit --no-fund --loglevel=error "$from" 2>&1); then
    fail "a scratch project: npm install @lobby/client $what" "$out"
    return 0
  fi
  printf '%s\n' "${example//http:\/\/localhost:8080/$e2e_url}" >"$dir/example.ts"
  printf '%s\n' 'import { createLobbyClient } from "@lobby/client";' \
    'const lobby = createLobbyClient({ baseUrl: "http://localhost:8080" });' \
    'await lobby.api.POST("/api/v1/rooms", { body: { nmae: "General", visibility: "public" } });' >"$dir/typo.ts"
  if out=$(cd "$dir" && "$client/node_modules/.bin/tsc" -p tsconfig.json --noEmit 2>&1); then
    fail "$what: tsc rejects a typo in a request body" "it compiled: the package's types are missing or any"
  elif grep -q "nmae" <<<"$out"; then
    pass "$what: tsc rejects a typo in a request body"
  else
    fail "$what: tsc rejects a typo in a request body" "$out"
  fi
  rm "$dir/typo.ts"
  if ! out=$(cd "$dir" && "$client/node_modules/.bin/tsc" -p tsconfig.json 2>&1); then
    fail "$what: the README example compiles" "$out"
  elif out=$(cd "$dir" && timeout 60 node out/example.js 2>&1) && grep -q "room(s); signed in: true" <<<"$out"; then
    pass "$what: the README example compiles and runs against Lobby in Node ($out)"
  else
    fail "$what: the README example compiles and runs against Lobby in Node" "$out"
  fi
}
scratch_project "$tmp/from-tarball" "$tarball"
scratch_project "$tmp/from-folder" "$client"
finish
