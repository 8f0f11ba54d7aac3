-- Low-rate probe: one request, then PROBE_DELAY_MS (default 20 ms) of pause, so about
-- 50 requests/s on one connection. Latency excludes the pause.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local pause = tonumber(os.getenv("PROBE_DELAY_MS") or "20")

function delay()
  return pause
end
