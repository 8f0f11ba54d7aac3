-- GET the URL given to wrk (a room or its messages) as a member: bearer token in BENCH_TOKEN.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local token = assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN is not set")

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
