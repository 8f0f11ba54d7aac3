using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Lobby.Api.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics for ASP.NET Core, HttpClient, Npgsql and the runtime.
/// Exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the standard
/// OTEL_* variables itself), and scraped by Prometheus at /metrics when METRICS_ENABLED=true.
/// Log lines carry the trace and span ids (@tr, @sp) next to the request id.
/// </summary>
internal static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddLobbyTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = MetricsEnabled(configuration);
        if (!otlp && !prometheus)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "lobby"))
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddNpgsqlInstrumentation()
                    .AddMeter(Http.Realtime.RealtimeMetrics.MeterName, Services.Mail.OutboxSender.MeterName);
                if (prometheus)
                {
                    m.AddPrometheusExporter();
                }

                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            });

        if (otlp)
        {
            telemetry.WithTracing(t => t
                // Probes would be most of the traces and say nothing.
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }

        return services;
    }

    public static IEndpointRouteBuilder MapLobbyMetrics(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (MetricsEnabled(configuration))
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }

        return app;
    }

    private static bool MetricsEnabled(IConfiguration configuration) =>
        string.Equals(configuration["METRICS_ENABLED"]?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
