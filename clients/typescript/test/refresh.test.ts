// The token handling of the client against a fake Lobby: no network, no server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createLobbyClient, type Tokens } from "../src/index.js";

const BASE = "http://lobby.test";

/** A fake Lobby where only `valid` is accepted as access token; refresh hands out the next one. */
function fakeLobby(opts: { refreshStatus?: number } = {}) {
  const state = { valid: "access-2", refreshCalls: 0, meCalls: 0, seenAuth: [] as (string | null)[] };
  const json = (status: number, body: unknown, type = "application/json") =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
  const fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/auth/refresh") {
      state.refreshCalls++;
      const body = (await request.json()) as { refreshToken: string };
      assert.equal(body.refreshToken, "refresh-1");
      // Let every parallel request reach its 401 before the refresh answers.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (opts.refreshStatus && opts.refreshStatus !== 200) {
        return json(opts.refreshStatus, { title: "Unauthorized", status: opts.refreshStatus }, "application/problem+json");
      }
      return json(200, { accessToken: state.valid, refreshToken: "refresh-2", expiresIn: 900, user: null });
    }
    state.meCalls++;
    const auth = request.headers.get("Authorization");
    state.seenAuth.push(auth);
    if (auth !== `Bearer ${state.valid}`) {
      return json(401, { title: "Unauthorized", status: 401 }, "application/problem+json");
    }
    if (request.method === "PATCH") {
      const body = (await request.json()) as { displayName: string };
      return json(200, { id: "u", email: "a@example.com", displayName: body.displayName, role: "USER", createdAt: "2025-01-01T00:00:00Z" });
    }
    return json(200, { id: "u", email: "a@example.com", displayName: "A", role: "USER", createdAt: "2025-01-01T00:00:00Z" });
  };
  return { state, fetch };
}

const expired: Tokens = { accessToken: "access-1", refreshToken: "refresh-1" };

test("two parallel 401s share exactly one refresh, then both retry with the new token", async () => {
  const lobby = fakeLobby();
  const changes: (Tokens | null)[] = [];
  const client = createLobbyClient({ baseUrl: BASE, tokens: expired, fetch: lobby.fetch, onTokens: (t) => changes.push(t) });

  const [a, b] = await Promise.all([client.api.GET("/api/v1/users/me"), client.api.GET("/api/v1/users/me")]);

  assert.equal(lobby.state.refreshCalls, 1);
  assert.equal(a.response.status, 200);
  assert.equal(b.response.status, 200);
  assert.equal(a.data?.displayName, "A");
  assert.deepEqual(client.tokens, { accessToken: "access-2", refreshToken: "refresh-2" });
  assert.deepEqual(changes, [{ accessToken: "access-2", refreshToken: "refresh-2" }]);
  assert.deepEqual(lobby.state.seenAuth, ["Bearer access-1", "Bearer access-1", "Bearer access-2", "Bearer access-2"]);
});

test("the retry sends the same body again", async () => {
  const lobby = fakeLobby();
  const client = createLobbyClient({ baseUrl: BASE, tokens: expired, fetch: lobby.fetch });

  const { data, response } = await client.api.PATCH("/api/v1/users/me", { body: { displayName: "Renamed" } });

  assert.equal(response.status, 200);
  assert.equal(data?.displayName, "Renamed");
  assert.equal(lobby.state.refreshCalls, 1);
});

test("when the refresh is refused, the 401 is returned once and the tokens are dropped", async () => {
  const lobby = fakeLobby({ refreshStatus: 401 });
  const client = createLobbyClient({ baseUrl: BASE, tokens: expired, fetch: lobby.fetch });

  const [a, b] = await Promise.all([client.api.GET("/api/v1/users/me"), client.api.GET("/api/v1/users/me")]);

  assert.equal(lobby.state.refreshCalls, 1);
  assert.equal(a.response.status, 401);
  assert.equal(b.response.status, 401);
  assert.equal(a.error?.status, 401);
  assert.equal(client.tokens, null);
  assert.equal(lobby.state.meCalls, 2);
});

test("without tokens a 401 is returned as is, with no refresh", async () => {
  const lobby = fakeLobby();
  const client = createLobbyClient({ baseUrl: BASE, fetch: lobby.fetch });

  const { response } = await client.api.GET("/api/v1/users/me");

  assert.equal(response.status, 401);
  assert.equal(lobby.state.refreshCalls, 0);
  assert.deepEqual(lobby.state.seenAuth, [null]);
});
