using Lobby.Api.Config;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http;

internal static class RequestLimitsSetup
{
    public static IServiceCollection AddLobbyRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LobbyOptions>>((k, lobby) =>
        {
            k.Limits.MaxRequestBodySize = lobby.Value.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.Limits.MaxRequestLineSize = 8 * 1024;
        });
        return services;
    }
}
