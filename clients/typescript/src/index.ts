/**
 * A small typed client for the Lobby API.
 *
 * Types come from `schema.d.ts`, generated from api/openapi/openapi.yaml by openapi-typescript
 * (regenerate both with scripts/openapi.sh). Requests go through openapi-fetch, so paths, bodies,
 * parameters and responses are all checked by the compiler. On top of it this client keeps the
 * tokens, sends the access token on every request, and on a 401 refreshes once and retries once.
 * Refreshing is single-flight: requests that fail together share one refresh call, which matters
 * because every refresh rotates the refresh token.
 */
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

export type Schemas = components["schemas"];
export type AuthResponse = Schemas["AuthResponse"];
export type Problem = Schemas["ProblemDetails"];
export type ValidationProblem = Schemas["HttpValidationProblemDetails"];

/** The tokens of one signed-in session. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface LobbyClientOptions {
  /** Where Lobby runs, e.g. "http://localhost:8080" (no trailing /api/v1: paths carry it). */
  baseUrl: string;
  /** Tokens from an earlier sign-in, e.g. restored from storage. */
  tokens?: Tokens | null;
  /** Called whenever the tokens change (sign-in, refresh) or end (null): persist them here. */
  onTokens?: (tokens: Tokens | null) => void;
  /** The fetch to use; defaults to the global one. Tests pass a fake. */
  fetch?: (request: Request) => Promise<Response>;
}

export interface LobbyClient {
  /** The typed openapi-fetch client: `api.GET("/api/v1/rooms", { params: { query: { limit: 20 } } })`. */
  readonly api: Client<paths>;
  /** The current tokens, or null when signed out. */
  readonly tokens: Tokens | null;
  /** Replaces the tokens (null signs out locally). */
  setTokens(tokens: Tokens | null): void;
  /** Refreshes the tokens now; concurrent calls share one request. Resolves false when the session is over. */
  refresh(): Promise<boolean>;
}

const REFRESH_PATH = "/api/v1/auth/refresh";

export function createLobbyClient(options: LobbyClientOptions): LobbyClient {
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  let tokens: Tokens | null = options.tokens ?? null;
  let refreshing: Promise<boolean> | null = null;

  const setTokens = (next: Tokens | null): void => {
    tokens = next;
    options.onTokens?.(next);
  };

  // Refresh goes through a client without the retry logic, so it can never recurse.
  const plain = createClient<paths>({ baseUrl: options.baseUrl, fetch: baseFetch });

  const refresh = (): Promise<boolean> => {
    refreshing ??= (async () => {
      const refreshToken = tokens?.refreshToken;
      if (!refreshToken) {
        return false;
      }
      const { data, response } = await plain.POST(REFRESH_PATH, { body: { refreshToken } });
      if (data) {
        setTokens({ accessToken: data.accessToken, refreshToken: data.refreshToken });
        return true;
      }
      // 401: the session has ended (or the token was reused). Anything else may be transient:
      // keep the tokens so a later call can try again.
      if (response.status === 401) {
        setTokens(null);
      }
      return false;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  const withToken = (request: Request, accessToken: string | undefined): Request => {
    const copy = new Request(request);
    if (accessToken) {
      copy.headers.set("Authorization", `Bearer ${accessToken}`);
    }
    return copy;
  };

  const authFetch = async (request: Request): Promise<Response> => {
    // Keep an unread copy: the body of the first attempt is consumed by sending it.
    const retryable = request.clone();
    const sentToken = tokens?.accessToken;
    const response = await baseFetch(withToken(request, sentToken));
    if (response.status !== 401 || !sentToken || new URL(request.url).pathname === REFRESH_PATH) {
      return response;
    }

    // Another request may have refreshed while this one was in flight: then just retry.
    const refreshed = tokens?.accessToken !== sentToken || (await refresh());
    if (!refreshed || !tokens) {
      return response;
    }
    await response.body?.cancel();
    return baseFetch(withToken(retryable, tokens.accessToken));
  };

  const api = createClient<paths>({ baseUrl: options.baseUrl, fetch: authFetch });

  // Tokens from register, login and refresh are kept without the caller doing anything.
  api.use({
    async onResponse({ request, response }) {
      const path = new URL(request.url).pathname;
      // A 202 from register (REQUIRE_EMAIL_VERIFICATION) signs nobody in: it carries no tokens.
      if ((response.status === 200 || response.status === 201) && (path === "/api/v1/auth/register" || path === "/api/v1/auth/login")) {
        const body = (await response.clone().json()) as AuthResponse;
        setTokens({ accessToken: body.accessToken, refreshToken: body.refreshToken });
      } else if (
        (path === "/api/v1/auth/logout" && response.status === 204) ||
        (path === "/api/v1/auth/sessions" && request.method === "DELETE" && response.ok && new URL(request.url).searchParams.get("keepCurrent") !== "true")
      ) {
        // This session ended too (sign out everywhere): forget its tokens.
        setTokens(null);
      }
      return undefined;
    },
  });

  return {
    api,
    get tokens() {
      return tokens;
    },
    setTokens,
    refresh,
  };
}
