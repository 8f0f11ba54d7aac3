using Lobby.Api.Config;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Lobby.Api.Http.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document generated from the endpoints (committed at api/openapi/openapi.yaml,
/// checked by a snapshot test) and the interactive reference at /docs.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.yaml";

    public static IServiceCollection AddLobbyOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer<LobbyDocumentTransformer>();
            o.AddOperationTransformer<LobbyOperationTransformer>();
            o.AddSchemaTransformer<LobbySchemaTransformer>();
        });
        return services;
    }

    public static WebApplication MapLobbyApiDocs(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        var enabled = app.Services.GetRequiredService<IOptions<LobbyOptions>>().Value.ApiDocsEnabled;
        if (enabled)
        {
            app.MapScalarApiReference("/docs", o => o
                .WithTitle("Lobby API")
                .WithOpenApiRoutePattern(DocumentPath));
        }

        return app;
    }
}
