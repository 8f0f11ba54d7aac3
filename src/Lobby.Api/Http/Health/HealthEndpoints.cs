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
        // Liveness never touches dependencies (a database outage must not get the process
        // restarted) and has nothing to check: the same bytes every time, without the health-check
        // service's per-request scope, report and JSON serialisation. Probes come often.
        app.MapMethods("/health/live", [HttpMethods.Get, HttpMethods.Head], WriteLive).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        }).WithMetadata(ProbeMethods);
        return app;
    }

    private static readonly byte[] LiveBody = """{"status":"ok","checks":{}}"""u8.ToArray();

    private static Task WriteLive(HttpContext context)
    {
        var response = context.Response;
        // The headers MapHealthChecks gives /health/ready, so both probes answer alike.
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
        response.Headers.Pragma = "no-cache";
        response.ContentLength = LiveBody.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(LiveBody, context.RequestAborted).AsTask();
    }

    // Written field by field: no reflection-based serialisation (Native AOT, issue 19).
    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("status", report.Status switch { HealthStatus.Healthy => "ok", HealthStatus.Degraded => "degraded", _ => "unavailable" });
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status == HealthStatus.Healthy ? "ok" : "failing");
            json.WriteString("detail", entry.Description);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
