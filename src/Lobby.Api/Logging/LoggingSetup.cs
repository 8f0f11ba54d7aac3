using System.Security.Claims;
using Lobby.Api.Config;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Lobby.Api.Logging;

internal static class LoggingSetup
{
    /// <summary>What a line looks like with LOG_FORMAT=text: time, level, message, request id, then the exception.</summary>
    public const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3} {RequestId}] {Message:lj}{NewLine}{Exception}";

    private const string RouteItem = "Lobby.Route";

    /// <summary>
    /// LOG_FORMAT=json: compact JSON on stdout, one event per line, for any log shipper.
    /// LOG_FORMAT=text (the default in Development): one readable line per event.
    /// </summary>
    public static WebApplicationBuilder AddLobbyLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((sp, config) =>
        {
            var settings = sp.GetRequiredService<IConfiguration>();
            config.ApplyLobbyLevels(settings);
            // A sink registered in DI replaces stdout: the tests capture each test's server lines this way.
            if (sp.GetService<ILogEventSink>() is { } sink)
            {
                config.WriteTo.Sink(sink);
                return;
            }

            // Read raw: a malformed LOG_FORMAT is reported by options validation, not here.
            _ = LoggingFormats.TryResolve(settings["LOG_FORMAT"], sp.GetRequiredService<IHostEnvironment>(), out var format);
            if (format == LoggingFormats.Text)
            {
                config.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                config.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        }, preserveStaticLogger: true); // one logger per host, not the static Log.Logger: tests run several hosts side by side
        return builder;
    }

    /// <summary>LOG_LEVEL and the per-category overrides, shared by every sink.</summary>
    public static LoggerConfiguration ApplyLobbyLevels(this LoggerConfiguration config, IConfiguration settings)
    {
        // Read raw: a malformed LOG_LEVEL is reported by options validation, not here.
        _ = LoggingLevels.TryParse(settings["LOG_LEVEL"], out var level);
        return config
            .MinimumLevel.Is(level)
            // Framework chatter would drown the one summary line per request.
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            // A failing probe is already the request's own summary line (503); no second copy.
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
            .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
            .Enrich.FromLogContext();
    }

    /// <summary>
    /// The one summary line per request: method, route template (not the raw path, which can
    /// hold ids), status, elapsed ms, request id and the user id when authenticated.
    /// Bodies, headers and query strings are never logged.
    /// </summary>
    public static IApplicationBuilder UseRequestSummaryLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(o =>
        {
            // This host's logger; without it the summary line goes to the static Log.Logger.
            o.Logger = logger;
            o.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.0} ms";
            o.GetLevel = (ctx, _, ex) => ex is not null || ctx.Response.StatusCode >= 500 ? LogEventLevel.Error
                : ctx.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Debug
                : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diag, ctx) =>
            {
                diag.Set("Route", ctx.Items[RouteItem] as string ?? RouteOf(ctx) ?? "(unmatched)");
                diag.Set("RequestId", ctx.TraceIdentifier);
                var userId = ctx.User.FindFirstValue("sub");
                if (userId is not null)
                {
                    diag.Set("UserId", userId);
                }
            };
        });
        // The exception handler clears the endpoint before it re-executes the pipeline, so the
        // route of a failed request is noted here, on the way in.
        return app.Use((ctx, next) =>
        {
            if (RouteOf(ctx) is { } route)
            {
                ctx.Items[RouteItem] = route;
            }

            return next(ctx);
        });
    }

    private static string? RouteOf(HttpContext ctx) => (ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
}
