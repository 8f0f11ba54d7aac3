using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Lobby.Api.Http;

internal static class ForwardedHeadersSetup
{
    /// <summary>
    /// Behind nginx or a TLS proxy every request comes from the proxy. TRUSTED_PROXIES lists the
    /// proxies (addresses or CIDR networks) whose X-Forwarded-For/-Proto Lobby believes, so rate
    /// limits and sessions see the real client. Nobody else's forwarded headers are trusted.
    /// </summary>
    public static IServiceCollection AddLobbyForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var entry in Entries(configuration))
            {
                if (entry.Contains('/', StringComparison.Ordinal))
                {
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                }
                else
                {
                    o.KnownProxies.Add(IPAddress.Parse(entry));
                }
            }
        });
        return services;
    }

    /// <summary>Only with TRUSTED_PROXIES: with empty known lists the middleware would believe anyone.</summary>
    public static IApplicationBuilder UseLobbyForwardedHeaders(this IApplicationBuilder app, IConfiguration configuration) =>
        Entries(configuration).Any() ? app.UseForwardedHeaders() : app;

    public static IEnumerable<string> Entries(IConfiguration configuration) =>
        (configuration["TRUSTED_PROXIES"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
