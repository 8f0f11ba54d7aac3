-- POST /api/v1/rooms/{room}/messages, spread over (user, room) pairs.
--   BENCH_TOKENS  access tokens, space-separated (one per user; every user is a member of every room)
--   BENCH_ROOMS   room ids, space-separated
-- Each request takes the next (user, room) pair round-robin over all |users| x |rooms| pairs
-- (per wrk thread, threads offset), so the 32 requests in flight spread over the rooms instead
-- of all queueing on one room's row lock. With one room in BENCH_ROOMS it is the single-room
-- variant: many writers, one room. Bodies are ~100 characters, unique per request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local function split(s)
  local t = {}
  for w in string.gmatch(s, "%S+") do t[#t + 1] = w end
  return t
end

local tokens = split(assert(os.getenv("BENCH_TOKENS"), "BENCH_TOKENS is not set"))
local rooms = split(assert(os.getenv("BENCH_ROOMS"), "BENCH_ROOMS is not set"))
assert(#tokens > 0 and #rooms > 0, "no tokens or rooms")

local thread_no = 0
function setup(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end

local counter = 0
local pairs_n = #tokens * #rooms
local filler = string.rep("x", 77) -- body text: 100 characters

function init(args)
  -- thread_no is set by setup() in this thread's Lua state before init runs
  counter = (tonumber(thread_no) or 0) * 17
end

function request()
  local k = counter % pairs_n
  counter = counter + 1
  -- the room varies fastest: consecutive requests go to different rooms
  local room = (k % #rooms) + 1
  local user = (math.floor(k / #rooms) % #tokens) + 1
  local body = string.format('{"body":"bench %08d u%02d r%02d %s"}', counter, user, room, filler)
  return wrk.format("POST", "/api/v1/rooms/" .. rooms[room] .. "/messages",
    { ["Authorization"] = "Bearer " .. tokens[user], ["Content-Type"] = "application/json" }, body)
end
