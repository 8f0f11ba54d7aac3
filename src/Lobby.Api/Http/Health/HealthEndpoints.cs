using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lobby.Api.Http.Health;

internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    // MapHealthChecks answers every method; a probe is a read, anything else is 405 with Allow.
    private static readonly HttpMethodMetadata ProbeMethods = new([HttpMethods.Get, HttpMethods.Head]);

    public static IServiceCollection AddLobbyHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ShutdownReadinessCheck>("shutdown", tags: [ReadyTag])
            .AddCheck<SchemaReadinessCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(1.8));
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Liveness never touches dependencies: a database outage must not get the process restarted.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithMetadata(ProbeMethods);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        }).WithMetadata(ProbeMethods);
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status switch { HealthStatus.Healthy => "ok", HealthStatus.Degraded => "degraded", _ => "unavailable" },
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status == HealthStatus.Healthy ? "ok" : "failing", detail = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), context.RequestAborted);
    }
}
