-- Mixed load: each request is the next slot of a fixed schedule of request kinds, so every
-- connection sends a realistic mix rather than one endpoint.
--   BENCH_TOKENS    access tokens, space-separated (one per user; every user is a member of every room)
--   BENCH_ROOMS     room ids, space-separated
--   LOGIN_EMAILS    emails of the login users, space-separated (separate users: their sessions pile up)
--   LOGIN_PASSWORD  their common password
--   MIX             weights, default "room=25,messages=25,me=20,post=25,login=5" (per 100 requests):
--                     room      GET /api/v1/rooms/{id}
--                     messages  GET /api/v1/rooms/{id}/messages?limit=50
--                     me        GET /api/v1/users/me
--                     post      POST /api/v1/rooms/{id}/messages (~100-character body)
--                     login     POST /api/v1/auth/login (Argon2id: the expensive one)
-- The schedule interleaves the kinds evenly (smooth weighted round robin: with the default mix a
-- login every 20th request, never two in a row); wrk threads start at different offsets. Users
-- and rooms rotate over all (user, room) pairs, room fastest.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local function split(s, sep)
  local t = {}
  for w in string.gmatch(s, sep or "%S+") do t[#t + 1] = w end
  return t
end

local tokens = split((assert(os.getenv("BENCH_TOKENS"), "BENCH_TOKENS is not set")))
local rooms = split((assert(os.getenv("BENCH_ROOMS"), "BENCH_ROOMS is not set")))
local emails = split(os.getenv("LOGIN_EMAILS") or "")
local password = os.getenv("LOGIN_PASSWORD") or ""
assert(#tokens > 0 and #rooms > 0, "no tokens or rooms")

local weights = {}
local order = { "room", "messages", "me", "post", "login" }
for _, item in ipairs(split(os.getenv("MIX") or "room=25,messages=25,me=20,post=25,login=5", "[^,]+")) do
  local k, v = string.match(item, "^%s*(%a+)%s*=%s*(%d+)%s*$")
  assert(k and weights[k] == nil, "bad MIX entry: " .. item)
  weights[k] = tonumber(v)
end
local total = 0
for k, v in pairs(weights) do
  local known = false
  for _, o in ipairs(order) do known = known or o == k end
  assert(known, "unknown kind in MIX: " .. k)
  total = total + v
end
assert(total > 0, "MIX has no weight")
assert((weights.login or 0) == 0 or (#emails > 0 and password ~= ""), "login in MIX needs LOGIN_EMAILS and LOGIN_PASSWORD")

-- Smooth weighted round robin: spreads each kind evenly over the `total` slots.
local schedule, current = {}, {}
for _, k in ipairs(order) do current[k] = 0 end
for _ = 1, total do
  local best
  for _, k in ipairs(order) do
    current[k] = current[k] + (weights[k] or 0)
    if (weights[k] or 0) > 0 and (best == nil or current[k] > current[best]) then best = k end
  end
  current[best] = current[best] - total
  schedule[#schedule + 1] = best
end

local thread_no = 0
function setup(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end

local slot, pair, login_no, posted, tno = 0, 0, 0, 0, 0
local filler = string.rep("x", 77) -- body text: 100 characters

function init(args)
  -- thread_no is set by setup() in this thread's Lua state before init runs
  local t = tonumber(thread_no) or 0
  tno = t
  slot = t * 7
  pair = t * 17
  login_no = t
end

local json = { ["Content-Type"] = "application/json" }

function request()
  local kind = schedule[(slot % #schedule) + 1]
  slot = slot + 1
  if kind == "login" then
    login_no = login_no + 1
    local email = emails[(login_no % #emails) + 1]
    -- Plain ASCII values chosen by bench/mixed.sh: no JSON escaping needed.
    return wrk.format("POST", "/api/v1/auth/login", json,
      string.format('{"email":"%s","password":"%s"}', email, password))
  end
  local k = pair % (#tokens * #rooms)
  pair = pair + 1
  local room = (k % #rooms) + 1
  local user = (math.floor(k / #rooms) % #tokens) + 1
  local auth = { ["Authorization"] = "Bearer " .. tokens[user] }
  if kind == "room" then
    return wrk.format("GET", "/api/v1/rooms/" .. rooms[room], auth)
  elseif kind == "messages" then
    return wrk.format("GET", "/api/v1/rooms/" .. rooms[room] .. "/messages?limit=50", auth)
  elseif kind == "me" then
    return wrk.format("GET", "/api/v1/users/me", auth)
  end
  posted = posted + 1
  auth["Content-Type"] = "application/json"
  local body = string.format('{"body":"mixed t%d %08d u%02d r%02d %s"}', tno, posted, user, room, filler)
  return wrk.format("POST", "/api/v1/rooms/" .. rooms[room] .. "/messages", auth, body)
end
