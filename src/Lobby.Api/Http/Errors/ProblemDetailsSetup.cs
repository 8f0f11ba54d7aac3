using Microsoft.AspNetCore.Http.Json;

namespace Lobby.Api.Http.Errors;

internal static class ProblemDetailsSetup
{
    /// <summary>
    /// Every error is RFC 9457 problem+json carrying the request id: handler results, status
    /// pages for 404/405/415 that the framework answers with an empty body, and exceptions.
    /// </summary>
    public static IServiceCollection AddLobbyProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["requestId"] = ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Extensions.Remove("traceId");
            ctx.ProblemDetails.Detail ??= DefaultDetail(ctx.ProblemDetails.Status);
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            // Integers stay integers in the contract; the default also accepts "12" and documents `integer | string`.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            // An unknown field is an error, never silently dropped: mass assignment fails loudly.
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            // Generated serialisers only, no reflection fallback (the framework adds its own
            // problem-details context after this): see LobbyJsonContext.
            LobbyJsonContext.ResolveOnlyWith(o.SerializerOptions);
        });
        return services;
    }

    private static string? DefaultDetail(int? status) => status switch
    {
        StatusCodes.Status404NotFound => "No resource exists at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that HTTP method.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON, sent with Content-Type: application/json.",
        _ => null,
    };
}
