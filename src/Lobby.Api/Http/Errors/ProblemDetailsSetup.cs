using System.Globalization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;

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
            ctx.ProblemDetails.Detail ??= ctx.ProblemDetails.Status == StatusCodes.Status400BadRequest
                ? InvalidParameterDetail(ctx.HttpContext)
                : DefaultDetail(ctx.ProblemDetails.Status);
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

    // The request-delegate generator (what Native AOT runs) answers an optional query value that
    // does not parse with a bare 400 instead of throwing, unlike the reflection-based factory: the
    // endpoint's binding metadata names the parameter, as the exception's message did.
    private static string InvalidParameterDetail(HttpContext http)
    {
        var parameters = http.GetEndpoint()?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [];
        foreach (var parameter in parameters.Where(p => p.HasTryParse))
        {
            var raw = http.Request.RouteValues.TryGetValue(parameter.Name, out var routeValue)
                ? routeValue?.ToString()
                : http.Request.Query[parameter.Name].ToString();
            var type = Nullable.GetUnderlyingType(parameter.ParameterInfo.ParameterType) ?? parameter.ParameterInfo.ParameterType;
            if (!string.IsNullOrEmpty(raw) && !Parses(type, raw))
            {
                return $"The value given for '{parameter.Name}' is not valid.";
            }
        }

        return "A route or query value is not valid.";
    }

    private static bool Parses(Type type, string raw) => type switch
    {
        _ when type == typeof(bool) => bool.TryParse(raw, out _),
        _ when type == typeof(int) => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(long) => long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(Guid) => Guid.TryParse(raw, out _),
        _ when type == typeof(DateTimeOffset) => DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => true,
    };

    private static string? DefaultDetail(int? status) => status switch
    {
        StatusCodes.Status404NotFound => "No resource exists at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that HTTP method.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON, sent with Content-Type: application/json.",
        _ => null,
    };
}
