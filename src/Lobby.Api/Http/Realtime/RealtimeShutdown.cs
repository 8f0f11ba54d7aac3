using Lobby.Api.Services.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// On shutdown, tells every live client to reconnect (type "server.restarting") and closes its
/// connection at once: WebSockets never end on their own, and Kestrel's drain would otherwise
/// wait the whole timeout for them. Clients reconnect to another replica and resume by seq.
/// </summary>
internal sealed class RealtimeShutdown(IHostApplicationLifetime lifetime, ConnectionRegistry registry, IHubContext<RoomHub> hub, ILogger<RealtimeShutdown> logger)
    : IHostedService
{
    public const string ServerRestarting = "server.restarting";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => _ = CloseAllAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CloseAllAsync()
    {
        var connections = registry.All.ToList();
        foreach (var connection in connections)
        {
            try
            {
                await hub.Clients.Client(connection.ConnectionId).SendAsync(
                    RoomFeed.ClientMethod, new RoomEvent(ServerRestarting, Guid.Empty, null, new { reconnect = true }));
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
            {
                // The client is gone already.
            }

            connection.Context.Abort();
        }

        logger.LogInformation("Shutdown: closed {Count} live connections with a reconnect hint", connections.Count);
    }
}
