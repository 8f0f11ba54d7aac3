#!/usr/bin/env bash
# Static validation of the deployment files, without a Docker engine:
#
#   a. lint: dclint on compose.yaml, `dockerfile-utils lint` on the Dockerfile (errors fail);
#   b. compose.yaml structure: services, depends_on conditions, healthchecks, named volume,
#      required secrets, profiles, host-port clashes, nginx.conf consistency;
#   c. Dockerfile structure: non-root runtime, HEALTHCHECK and ENTRYPOINT forms, restore layer,
#      every COPY source present and not excluded by .dockerignore;
#   d. the image's build stage without an engine: a temporary folder holding exactly what its
#      COPY lines take from the build context (after .dockerignore), its RUN lines (restore,
#      Native AOT publish) run there as written, and the result smoke-tested (one native
#      executable, migrations embedded, `help`, `healthcheck`, `migrate`).
#
#   scripts/check-deploy.sh               all of the above
#   scripts/check-deploy.sh --no-publish  a-c only (seconds instead of a build)
#   IMAGE_OUT=DIR scripts/check-deploy.sh keeps the image's publish output in DIR (scripts/test.sh
#                                         runs the out-of-process tests against that executable)
#
# The AOT publish needs clang and zlib1g-dev (the `-aot` SDK image has them; scripts/test.sh
# installs them here).
#
# The linters are npm packages pinned in tools/deploy-lint/package-lock.json and installed once
# into tools/deploy-lint/node_modules (reinstalled when the lock file changes). Needs Node >= 20.19.
# Prints "check-deploy: ok|FAIL <what>" per check, then "check-deploy: N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

publish=1
for arg in "$@"; do
  case "$arg" in
    --no-publish) publish=0 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-deploy: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "check-deploy: ok   $1"; }
fail() {
  failed=$((failed + 1)); echo "check-deploy: FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /' | head -n 40
  return 0
}
finish() {
  echo "check-deploy: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# --- tools ------------------------------------------------------------------------------------
lint="$ROOT/tools/deploy-lint"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are installed (needed for the linters)" "install Node.js >= 20.19"
  finish
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  fail "Node.js >= 20.19 (dclint needs it)" "found $(node --version)"
  finish
fi
stamp="$lint/node_modules/.check-deploy-lock"
want=$(cd "$lint" && sha256sum package.json package-lock.json | sha256sum | cut -c1-64)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  if out=$(cd "$lint" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error 2>&1); then
    echo "$want" >"$stamp"
    pass "linters installed (npm ci in tools/deploy-lint)"
  else
    fail "linters installed (npm ci in tools/deploy-lint)" "$out"
    finish
  fi
fi

# --- a. linters -------------------------------------------------------------------------------
if out=$("$lint/node_modules/.bin/dclint" --color=false -c "$lint/.dclintrc.json" compose.yaml 2>&1); then
  pass "dclint compose.yaml"
  [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/    /'
else
  fail "dclint compose.yaml" "$out"
fi

# dockerfile-utils exits 1 on errors; warnings are printed but do not fail.
if out=$("$lint/node_modules/.bin/dockerfile-utils" lint Dockerfile 2>&1); then
  pass "dockerfile-utils lint Dockerfile"
  [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/    /'
else
  fail "dockerfile-utils lint Dockerfile" "$out"
fi

# --- b, c. structure --------------------------------------------------------------------------
publish_args=""
if ! report=$(node "$lint/check.mjs" "$ROOT" 2>&1); then
  fail "structural checks ran (tools/deploy-lint/check.mjs)" "$report"
  finish
fi
while IFS=$'\t' read -r kind what why; do
  case "$kind" in
    PASS) pass "$what" ;;
    FAIL) fail "$what" "$why" ;;
    PUBLISH) publish_args=$what ;;
    "") ;;
    *) fail "structural checks ran (tools/deploy-lint/check.mjs)" "$kind $what $why" ;;
  esac
done <<<"$report"

# --- d. the Dockerfile's publish, outside Docker ----------------------------------------------
if [ "$publish" -eq 1 ]; then
  if [ -z "$publish_args" ]; then
    fail "dotnet publish as in the Dockerfile" "no RUN dotnet publish found in the Dockerfile"
    finish
  fi
  # Native AOT links with the system's clang and zlib (the `-aot` SDK image has both).
  if ! command -v clang >/dev/null 2>&1 || [ ! -e /usr/include/zlib.h ]; then
    source "$ROOT/scripts/lib.sh"
    if out=$(apt_install clang zlib1g-dev 2>&1); then
      pass "Native AOT toolchain installed (apt-get install clang zlib1g-dev)"
    else
      fail "Native AOT toolchain installed (apt-get install clang zlib1g-dev)" "$out"
      finish
    fi
  fi
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/lobby-check-deploy.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # Not from the repository root, where files the image never sees (.editorconfig, bin/, obj/)
  # would make a build pass that fails in Docker: the build stage's own file system is put
  # together from its COPY lines and .dockerignore, and its RUN lines run there as written.
  ctx="$tmp/ctx"
  if ! plan=$(node "$lint/check.mjs" "$ROOT" --assemble "$ctx" 2>&1); then
    fail "build context assembled from the Dockerfile's COPY lines and .dockerignore" "$plan"
    finish
  fi
  out_dir=$(awk -F'\t' '$1 == "ARTIFACT" { print $3 }' <<<"$plan")
  image_out=$(awk -F'\t' '$1 == "ARTIFACT" { print $2 }' <<<"$plan")
  if [ -z "$out_dir" ] || ! grep -q '^RUN' <<<"$plan"; then
    fail "build context assembled from the Dockerfile's COPY lines and .dockerignore" "$plan"
    finish
  fi
  pass "build context assembled from the Dockerfile's COPY lines and .dockerignore ($(find "$ctx" -type f | wc -l) files)"
  # BuildKit sets TARGETARCH for the build stage; here it is this machine's architecture.
  case "$(uname -m)" in aarch64|arm64) targetarch=arm64 ;; *) targetarch=amd64 ;; esac
  while IFS=$'\t' read -r kind dir cmd; do
    [ "$kind" = RUN ] || continue
    # The image's output folder becomes one under the temporary folder; nothing else changes.
    cmd=${cmd//"$image_out"/"$out_dir"}
    if out=$(cd "$dir" && TARGETARCH=$targetarch timeout 1200 bash -c "$cmd" 2>&1); then
      pass "RUN ${cmd//"$out_dir"/<tmp>} (in the assembled build stage)"
    else
      fail "RUN ${cmd//"$out_dir"/<tmp>} (in the assembled build stage)" \
        "$(printf '%s\n' "$out" | grep -E 'error|warn' | sed "s|$ctx/||g" | sort -u | head -n 20)"
      finish
    fi
  done <<<"$plan"

  if [ -x "$out_dir/Lobby.Api" ] && head -c 4 "$out_dir/Lobby.Api" | grep -q 'ELF' && [ ! -e "$out_dir/Lobby.Api.dll" ]; then
    pass "publish output is one native executable, Lobby.Api (Native AOT, no .NET runtime needed)"
  else
    fail "publish output is one native executable, Lobby.Api (Native AOT, no .NET runtime needed)" "$(ls "$out_dir" | head -n 20)"
  fi

  missing=""
  for sql in migrations/*.sql; do
    [ -f "$sql" ] || continue
    grep -aq "migrations/$(basename "$sql")" "$out_dir/Lobby.Api" || missing="$missing $(basename "$sql")"
  done
  if [ -z "$missing" ]; then pass "every migrations/*.sql is embedded in Lobby.Api"; else fail "every migrations/*.sql is embedded in Lobby.Api" "missing:$missing"; fi

  # Run the published app the way the image does: `/app/Lobby.Api ARGS` from its folder, with no
  # .env and no DATABASE_URL.
  run_app() { (cd "$out_dir" && env -u DATABASE_URL -u ASPNETCORE_HTTP_PORTS ASPNETCORE_URLS=http://+:8080 DOTNET_EnableDiagnostics=0 \
    timeout 60 ./Lobby.Api "$@" 2>&1); }
  out=$(run_app help); rc=$?
  if [ "$rc" -eq 0 ] && grep -q 'migrate up' <<<"$out" && grep -q 'healthcheck' <<<"$out"; then
    pass "\`Lobby.Api help\` (ENTRYPOINT + command) lists migrate and healthcheck"
  else
    fail "\`Lobby.Api help\` (ENTRYPOINT + command) lists migrate and healthcheck" "exit $rc: $out"
  fi
  # Nothing listens on port 9 of loopback: the probe must fail with 1 (not 2, a usage error).
  out=$(run_app healthcheck http://127.0.0.1:9); rc=$?
  if [ "$rc" -eq 1 ]; then
    pass "\`healthcheck\` (the HEALTHCHECK command) exits 1 when nothing answers"
  else
    fail "\`healthcheck\` (the HEALTHCHECK command) exits 1 when nothing answers" "exit $rc: $out"
  fi
  out=$(run_app migrate status); rc=$?
  if [ "$rc" -eq 1 ] && grep -q 'DATABASE_URL' <<<"$out"; then
    pass "\`migrate status\` without DATABASE_URL exits 1 naming the setting"
  else
    fail "\`migrate status\` without DATABASE_URL exits 1 naming the setting" "exit $rc: $out"
  fi

  if [ -n "${IMAGE_OUT:-}" ]; then
    rm -rf "$IMAGE_OUT" && mkdir -p "$IMAGE_OUT" && cp -a "$out_dir/." "$IMAGE_OUT/"
  fi
fi

finish
