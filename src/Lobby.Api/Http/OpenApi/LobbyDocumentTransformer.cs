using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lobby.Api.Http.OpenApi;

/// <summary>Title, servers, tags and the bearer security scheme of the whole document.</summary>
internal sealed class LobbyDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Lobby API",
            Version = "v1",
            Description = "Sign up, sign in and meet in rooms. Errors are RFC 9457 application/problem+json carrying the "
                + "request id; validation errors (400) add an `errors` map of field to messages. IDs are UUIDv7 strings. "
                + "Lists are keyset-paged with an opaque `cursor` and a `limit` (default 50, at most 100).",
            License = new OpenApiLicense { Name = "Proprietary" },
        };

        // Relative, so the contract does not depend on the host that served it.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The Lobby instance serving this document" }];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The accessToken from register, login or refreshTokens (RS256, 15 minutes by default).",
        };

        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Auth", Description = "Registration, sign-in, token refresh and sessions" },
            new() { Name = "Users", Description = "Profiles and password changes" },
            new() { Name = "Admin", Description = "User management and the audit trail (ADMIN only)" },
            new() { Name = "Rooms", Description = "Rooms, members and messages" },
        };
        return Task.CompletedTask;
    }
}
