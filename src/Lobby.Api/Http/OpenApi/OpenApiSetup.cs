using Lobby.Api.Config;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Lobby.Api.Http.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document generated from the endpoints (committed at api/openapi/openapi.yaml,
/// checked by a snapshot test), served as YAML and JSON, and the interactive reference at /docs.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.yaml";
    public const string JsonDocumentPath = "/openapi/{documentName}.json";

    // RFC 9512 registers application/yaml; the framework sends text/plain+yaml, which tools and
    // browsers do not recognise.
    private const string YamlMediaType = "application/yaml; charset=utf-8";

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
        app.MapOpenApi(DocumentPath).AddEndpointFilter(async (context, next) =>
        {
            var response = context.HttpContext.Response;
            response.OnStarting(() =>
            {
                if (response.StatusCode == StatusCodes.Status200OK)
                {
                    response.ContentType = YamlMediaType;
                }

                return Task.CompletedTask;
            });
            return await next(context);
        });
        // The same document as JSON, the form most tools (generators, Postman, Swagger UI) fetch by default.
        app.MapOpenApi(JsonDocumentPath);
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
