-- GET /api/v1/auth/sessions with the bearer access token in BENCH_TOKEN.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local token = assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN is not set")

wrk.method = "GET"
wrk.path = "/api/v1/auth/sessions"
wrk.headers["Authorization"] = "Bearer " .. token
