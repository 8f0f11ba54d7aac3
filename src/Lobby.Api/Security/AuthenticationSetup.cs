using System.Threading.RateLimiting;
using Lobby.Api.Config;
using Lobby.Api.Services.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.Api.Security;

internal static class AuthenticationSetup
{
    public static IServiceCollection AddLobbyAuth(this IServiceCollection services)
    {
        services.AddMemoryCache(o => o.SizeLimit = 200_000);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => SigningKeyRing.Load(sp.GetRequiredService<IOptions<LobbyOptions>>().Value.Auth));
        services.AddSingleton(sp =>
        {
            var auth = sp.GetRequiredService<IOptions<LobbyOptions>>().Value.Auth;
            return new PasswordHasher(new Argon2Cost(auth.PasswordHashMemoryKib, auth.PasswordHashIterations));
        });
        services.AddSingleton<PasswordHashingGate>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<RefreshTokens>();
        services.AddSingleton<SessionCheck>();
        services.AddSingleton<SessionChanges>();
        services.AddSingleton<SignInRateLimiter>();
        services.AddSingleton<AuthService>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<LobbyOptions>, SigningKeyRing, TimeProvider>((jwt, lobby, keys, clock) =>
            {
                var auth = lobby.Value.Auth;
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new CachingTokenHandler(auth.TokenCacheEntries, clock));
                // Keep "sub" and "role" as they are in the token instead of mapping them to long URIs.
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    IssuerSigningKeys = keys.Keys,
                    // Pinned: "none", HS256 (signed with the public key) and everything else fail.
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    NameClaimType = LobbyClaims.Subject,
                    RoleClaimType = LobbyClaims.Role,
                };
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = ctx =>
                    {
                        ctx.Token ??= Http.Realtime.RealtimeSetup.TokenFromQuery(ctx.Request);
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = ValidateSessionAsync,
                    OnChallenge = WriteChallengeAsync,
                    OnForbidden = WriteForbiddenAsync,
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.User, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Moderator, p => p.RequireRole(Roles.Moderator, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));

        return services;
    }

    private static async Task ValidateSessionAsync(TokenValidatedContext context)
    {
        // Only the shape Lobby issues (RFC 8725 §3.8): exactly one sub, sid and role, each a string.
        // A role array would otherwise pass the session check on its first value while
        // authorization accepts any of them; a sub must be the session's own user.
        if (!HasIssuedShape(context.SecurityToken, out var userId, out var sessionId, out var role))
        {
            context.Fail("The access token is invalid.");
            return;
        }

        var check = context.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
        if (!await check.IsValidAsync(sessionId, userId, role, context.HttpContext.RequestAborted))
        {
            context.Fail("The session has ended or the account changed; sign in again.");
        }
    }

    private static bool HasIssuedShape(SecurityToken token, out Guid userId, out Guid sessionId, out string role)
    {
        (userId, sessionId, role) = (Guid.Empty, Guid.Empty, "");
        if (token is not JsonWebToken jwt)
        {
            return false;
        }

        // Read from the payload itself: a claim given twice (an array, or a repeated member) is refused.
        using var payload = System.Text.Json.JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        string? Single(string name)
        {
            var values = payload.RootElement.EnumerateObject().Where(p => p.NameEquals(name)).ToList();
            return values is [{ Value.ValueKind: System.Text.Json.JsonValueKind.String } only] ? only.Value.GetString() : null;
        }

        var sub = Single(LobbyClaims.Subject);
        var sid = Single(LobbyClaims.Session);
        role = Single(LobbyClaims.Role) ?? "";
        return Guid.TryParse(sub, out userId) && Guid.TryParse(sid, out sessionId) && Roles.IsValid(role);
    }

    private static async Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var hasToken = context.AuthenticateFailure is not null || !string.IsNullOrEmpty(context.Error);
        var detail = context.AuthenticateFailure switch
        {
            SecurityTokenExpiredException => "The access token has expired; refresh it.",
            null when !hasToken => "This endpoint needs a bearer access token.",
            _ when context.AuthenticateFailure?.Message is { } m && m.StartsWith("The session", StringComparison.Ordinal) => context.AuthenticateFailure.Message,
            _ => "The access token is invalid.",
        };
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = hasToken
            ? $"Bearer error=\"invalid_token\", error_description=\"{detail}\""
            : "Bearer";
        await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    private static Task WriteForbiddenAsync(ForbiddenContext context) =>
        WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this action.");

    private static async Task WriteProblemAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
