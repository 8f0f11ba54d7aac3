using System.Security.Claims;
using Lobby.Api.Config;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Lobby.Api.Logging;

internal static class LoggingSetup
{
    /// <summary>Compact JSON on stdout: one event per line, for any log shipper.</summary>
    public static WebApplicationBuilder AddLobbyLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((sp, config) =>
        {
            // Read raw: a malformed LOG_LEVEL is reported by options validation, not here.
            _ = LoggingLevels.TryParse(sp.GetRequiredService<IConfiguration>()["LOG_LEVEL"], out var level);
            config
                .MinimumLevel.Is(level)
                // Framework chatter would drown the one summary line per request.
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                // A failing probe is already the request's own summary line (503); no second copy.
                .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
                .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .WriteTo.Console(new RenderedCompactJsonFormatter());
        });
        return builder;
    }

    /// <summary>
    /// The one summary line per request: method, route template (not the raw path, which can
    /// hold ids), status, elapsed ms, request id and the user id when authenticated.
    /// Bodies, headers and query strings are never logged.
    /// </summary>
    public static IApplicationBuilder UseRequestSummaryLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(o =>
        {
            o.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.0} ms";
            o.GetLevel = (ctx, _, ex) => ex is not null || ctx.Response.StatusCode >= 500 ? LogEventLevel.Error
                : ctx.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Debug
                : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diag, ctx) =>
            {
                var route = (ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                diag.Set("Route", route ?? "(unmatched)");
                diag.Set("RequestId", ctx.TraceIdentifier);
                var userId = ctx.User.FindFirstValue("sub");
                if (userId is not null)
                {
                    diag.Set("UserId", userId);
                }
            };
        });
}
