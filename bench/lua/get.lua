-- Plain GET of the URL given to wrk (used for the /health/live peer).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
