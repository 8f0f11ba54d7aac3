/**
 * The one door to Lobby's HTTP API: the typed client in clients/typescript, with the session's
 * refresh token kept in localStorage so a reload stays signed in. The access token lives only in
 * memory; after a reload the first thing we do is refresh, which the client does single-flight.
 */
import { createLobbyClient, type LobbyClient, type Schemas, type Tokens } from "../../clients/typescript/src/index";

export type { Schemas } from "../../clients/typescript/src/index";
export type Room = Schemas["RoomView"];
export type User = Schemas["UserProfile"];

const STORAGE_KEY = "lobby.refreshToken";

/**
 * Fires "ended" whenever the tokens go: signing out here, or a refresh the server refused (the
 * session was signed out from another device, or by a password change). The app then shows the
 * sign-in screen instead of retrying with nothing.
 */
export const session = new EventTarget();

function stored(): Tokens | null {
  const refreshToken = localStorage.getItem(STORAGE_KEY);
  // No access token yet: the first call refreshes (see restoreSession).
  return refreshToken ? { accessToken: "", refreshToken } : null;
}

export const client: LobbyClient = createLobbyClient({
  baseUrl: location.origin,
  tokens: stored(),
  onTokens(tokens) {
    if (tokens) {
      localStorage.setItem(STORAGE_KEY, tokens.refreshToken);
    } else {
      localStorage.removeItem(STORAGE_KEY);
      session.dispatchEvent(new Event("ended"));
    }
  },
});
export const api = client.api;

/** After a reload: trade the stored refresh token for an access token. False when signed out. */
export async function restoreSession(): Promise<boolean> {
  if (!client.tokens) return false;
  if (client.tokens.accessToken) return true;
  return client.refresh();
}

/** Seconds until the access token expires, read from its `exp` claim (no signature check: only for timing). */
function secondsLeft(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: number };
    return (payload.exp ?? 0) - Date.now() / 1000;
  } catch {
    return 0;
  }
}

/**
 * An access token good for at least another half minute, refreshing first if needed (for SignalR).
 * `force` refreshes anyway: after the server closed us, the token may be unexpired but its session
 * over, and only a refresh tells (a refused one ends the session here too).
 */
export async function freshAccessToken(force = false): Promise<string> {
  const token = client.tokens?.accessToken ?? "";
  if (!force && token && secondsLeft(token) > 30) return token;
  await client.refresh();
  return client.tokens?.accessToken ?? "";
}
