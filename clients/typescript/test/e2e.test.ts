// register -> login -> create room -> post message -> list messages, through the client, against
// a real Lobby. scripts/check-client.sh starts one and passes its address in LOBBY_E2E_URL.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { createLobbyClient } from "../src/index.js";

const baseUrl = process.env["LOBBY_E2E_URL"];

test("a user signs up, signs in, opens a room and talks in it", { skip: baseUrl ? false : "LOBBY_E2E_URL is not set" }, async () => {
  const client = createLobbyClient({ baseUrl: baseUrl! });
  const email = `ts-${randomUUID()}@example.com`;
  const password = "correct horse battery staple";

  const registered = await client.api.POST("/api/v1/auth/register", { body: { email, password, displayName: "TS Client" } });
  assert.equal(registered.response.status, 201, JSON.stringify(registered.error));
  assert.ok(registered.data && "user" in registered.data);
  assert.equal(registered.data.user.email, email);

  const loggedIn = await client.api.POST("/api/v1/auth/login", { body: { email, password } });
  assert.equal(loggedIn.response.status, 200, JSON.stringify(loggedIn.error));
  assert.equal(client.tokens?.accessToken, loggedIn.data?.accessToken);

  const room = await client.api.POST("/api/v1/rooms", { body: { name: `Room ${randomUUID().slice(0, 8)}`, topic: "e2e", visibility: "public" } });
  assert.equal(room.response.status, 201, JSON.stringify(room.error));
  const roomId = room.data!.id;
  assert.equal(room.data?.myRole, "owner");

  const posted = await client.api.POST("/api/v1/rooms/{id}/messages", {
    params: { path: { id: roomId }, header: { "Idempotency-Key": randomUUID() } },
    body: { body: "Hello from TypeScript" },
  });
  assert.equal(posted.response.status, 201, JSON.stringify(posted.error));
  assert.equal(posted.data?.seq, 1);

  // An expired access token is refreshed transparently.
  client.setTokens({ accessToken: "not-a-token", refreshToken: client.tokens!.refreshToken });
  const listed = await client.api.GET("/api/v1/rooms/{id}/messages", { params: { path: { id: roomId }, query: { limit: 10 } } });
  assert.equal(listed.response.status, 200, JSON.stringify(listed.error));
  assert.deepEqual(listed.data?.items.map((m) => [m.seq, m.body]), [[1, "Hello from TypeScript"]]);
  assert.notEqual(client.tokens?.accessToken, "not-a-token");

  const invalid = await client.api.POST("/api/v1/rooms", { body: { name: "", topic: "", visibility: "public" } });
  assert.equal(invalid.response.status, 400);
  assert.ok(invalid.error && "errors" in invalid.error && invalid.error.errors?.["name"]);
});
