-- Background writer for bench/unread.sh: bench/lua/post_message.lua ((user, room) pairs
-- round-robin over BENCH_TOKENS x BENCH_ROOMS, ~100-character bodies) with a fixed pause of
-- BENCH_DELAY_MS after each response on every connection, so `wrk -cN` posts at most
-- N * 1000 / BENCH_DELAY_MS messages a second (a little less: the post's own latency adds to the pause).
dofile(os.getenv("BENCH_LUA_DIR") .. "/post_message.lua")

local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "200")

function delay()
  return pause
end
