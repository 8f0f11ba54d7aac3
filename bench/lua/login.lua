-- POST /api/v1/auth/login with a pre-registered user (LOGIN_EMAIL, LOGIN_PASSWORD).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local email = assert(os.getenv("LOGIN_EMAIL"), "LOGIN_EMAIL is not set")
local password = assert(os.getenv("LOGIN_PASSWORD"), "LOGIN_PASSWORD is not set")

wrk.method = "POST"
wrk.path = "/api/v1/auth/login"
wrk.headers["Content-Type"] = "application/json"
-- Plain ASCII values chosen by bench/auth.sh: no JSON escaping needed.
wrk.body = string.format('{"email":"%s","password":"%s"}', email, password)
