using System.Security.Claims;
using Lobby.Api.Http.OpenApi;
using Lobby.Api.Security;
using Lobby.Api.Services.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lobby.Api.Http.Auth;

internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Auth");

        // Limited per client address (shared by the replicas with REDIS_URL), then per account in the service.
        var limited = auth.MapGroup("").AddEndpointFilter<SignInAddressFilter>();
        limited.MapPost("/register", Register)
            .WithName("register")
            .WithSummary("Create an account and sign in (201); with REQUIRE_EMAIL_VERIFICATION, 202 and a confirmation link by mail, the same for every address")
            .ProducesErrors(409, 429);
        limited.MapPost("/login", Login)
            .WithName("login").WithSummary("Sign in with email and password (403 while REQUIRE_EMAIL_VERIFICATION waits for the address)").ProducesErrors(401, 403, 429);
        limited.MapPost("/refresh", Refresh)
            .WithName("refreshTokens").WithSummary("Exchange a refresh token for new tokens (the refresh token rotates)").ProducesErrors(401, 429);

        var signedIn = auth.MapGroup("").RequireAuthorization(Policies.User);
        signedIn.MapPost("/logout", Logout).WithName("logout").WithSummary("End this session");
        signedIn.MapGet("/sessions", ListSessions).WithName("listSessions").WithSummary("List my active sessions").ProducesErrors(429);
        signedIn.MapDelete("/sessions", EndAllSessions).WithName("endAllSessions")
            .WithSummary("Sign out everywhere: end every session of mine (keepCurrent=true keeps this one)").ProducesErrors(400, 429);
        signedIn.MapDelete("/sessions/{id}", RevokeSession).WithName("revokeSession").WithSummary("End one of my sessions").ProducesErrors(400, 404, 429);

        app.MapGet("/.well-known/jwks.json", Jwks).WithTags("Auth").WithName("getJwks").WithSummary("Public keys that verify access tokens (RFC 7517)");
        return app;
    }

    internal static async Task<Results<Created<AuthResponse>, Accepted<PendingRegistration>>> Register(
        RegisterRequest body, HttpContext http, AuthService auth, CancellationToken ct)
    {
        var result = await auth.RegisterAsync(body.Email, body.Password, body.DisplayName, Client(http), ct);
        return result.SignedIn is { } signedIn
            ? TypedResults.Created($"/api/v1/users/{signedIn.User.Id}", signedIn)
            : TypedResults.Accepted((string?)null, result.Pending!);
    }

    internal static async Task<Ok<AuthResponse>> Login(LoginRequest body, HttpContext http, AuthService auth, CancellationToken ct) =>
        TypedResults.Ok(await auth.LoginAsync(body.Email, body.Password, Client(http), ct));

    internal static async Task<Ok<AuthResponse>> Refresh(RefreshRequest body, AuthService auth, CancellationToken ct) =>
        TypedResults.Ok(await auth.RefreshAsync(body.RefreshToken, ct));

    internal static async Task<NoContent> Logout(ClaimsPrincipal user, AuthService auth, CancellationToken ct)
    {
        await auth.LogoutAsync(user.UserId(), user.SessionId(), ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<IReadOnlyList<SessionInfo>>> ListSessions(ClaimsPrincipal user, AuthService auth, CancellationToken ct) =>
        TypedResults.Ok(await auth.ListSessionsAsync(user.UserId(), user.SessionId(), ct));

    internal static async Task<Ok<EndedSessions>> EndAllSessions(bool? keepCurrent, ClaimsPrincipal user, AuthService auth, CancellationToken ct) =>
        TypedResults.Ok(await auth.EndAllSessionsAsync(user.UserId(), user.SessionId(), keepCurrent ?? false, ct));

    internal static async Task<NoContent> RevokeSession(Guid id, ClaimsPrincipal user, AuthService auth, CancellationToken ct)
    {
        await auth.RevokeSessionAsync(user.UserId(), id, ct);
        return TypedResults.NoContent();
    }

    internal static Ok<JsonWebKeySet> Jwks(SigningKeyRing keys, HttpContext http)
    {
        // Verifiers may cache the key set; a rotation adds a key long before it signs.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(keys.ToJwks());
    }

    private static ClientInfo Client(HttpContext http) =>
        new(http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, http.Connection.RemoteIpAddress?.ToString());
}
