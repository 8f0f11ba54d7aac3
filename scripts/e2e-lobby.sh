# Sourced by check-client.sh and check-web.sh: a real Lobby for their end-to-end tests.
#
#   start_e2e_lobby PREFIX [VAR=value ...]
#
# Creates a fresh database on the test server ($admin_url), generates a signing key, migrates,
# and serves the built Lobby on a free loopback port until ready: the Native AOT executable named
# by LOBBY_BINARY (what the image ships; scripts/test.sh sets it), else the JIT build's
# Lobby.Api.dll. Expects the caller's admin_url, tmp, fail and finish; sets database, server_pid
# and e2e_url for its cleanup and test.
start_e2e_lobby() {
  local prefix=$1 out base query db_url port ready
  shift
  local dll="$ROOT/src/Lobby.Api/bin/Release/net10.0/Lobby.Api.dll" lobby
  if [ -n "${LOBBY_BINARY:-}" ]; then
    lobby=("$LOBBY_BINARY")
  else
    lobby=(dotnet "$dll")
    if [ ! -f "$dll" ] && ! out=$(dotnet build src/Lobby.Api -c Release -nologo -v quiet 2>&1); then
      fail "dotnet build src/Lobby.Api" "$out"
      finish
    fi
  fi

  database="${prefix}_$(date +%s)_$$"
  base=${admin_url%%\?*}
  query=""
  [ "$base" != "$admin_url" ] && query="?${admin_url#*\?}"
  db_url="${base%/*}/$database$query"
  # A caller that must know the address up front (links in mail) picks the port in e2e_port.
  port=${e2e_port:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
  local lobby_env=(env -u ASPNETCORE_HTTP_PORTS DATABASE_URL="$db_url" ASPNETCORE_ENVIRONMENT=Production
    JWT_SIGNING_KEYS="$tmp/signing.pem" ASPNETCORE_URLS="http://127.0.0.1:$port" LOG_LEVEL=Warning "$@")

  if ! out=$(psql "$admin_url" -qAtc "CREATE DATABASE \"$database\"" 2>&1); then
    fail "end-to-end: create database $database" "$out"
    database=""
    finish
  fi
  if ! out=$( (cd "$tmp" && "${lobby_env[@]}" "${lobby[@]}" keys generate "$tmp/signing.pem") 2>&1 \
      && (cd "$tmp" && "${lobby_env[@]}" "${lobby[@]}" migrate up) 2>&1); then
    fail "end-to-end: keys generate and migrate up" "$out"
    finish
  fi

  # `(cd && exec ...) &`: $! is Lobby itself, so the caller's cleanup stops the server.
  (cd "$tmp" && exec "${lobby_env[@]}" "${lobby[@]}") >"$tmp/server.log" 2>&1 &
  server_pid=$!
  ready=0
  for _ in $(seq 1 60); do
    if node -e "fetch('http://127.0.0.1:$port/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then ready=1; break; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ "$ready" -ne 1 ]; then
    fail "end-to-end: ${lobby[*]##*/} serves on 127.0.0.1:$port" "$(tail -n 30 "$tmp/server.log")"
    finish
  fi
  e2e_url="http://127.0.0.1:$port"
}
