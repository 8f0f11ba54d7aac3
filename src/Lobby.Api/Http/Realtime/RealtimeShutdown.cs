using Lobby.Api.Services.Rooms;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// On shutdown, tells every live client to reconnect: a "server.restarting" event, then SignalR's
/// close message with allowReconnect and the reason, then a clean close. It runs inside the
/// ApplicationStopping callback and waits (a few seconds at most) because the SignalR connection
/// manager aborts every socket in its own ApplicationStopping callback, registered earlier and so
/// run after this one: returning early is what used to cut clients off with a bare 1006.
/// Clients reconnect to another replica and resume by seq.
/// </summary>
internal sealed class RealtimeShutdown(IHostApplicationLifetime lifetime, ConnectionRegistry registry, ILogger<RealtimeShutdown> logger)
    : IHostedService
{
    public const string ServerRestarting = "server.restarting";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(4);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(CloseAll);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void CloseAll()
    {
        var connections = registry.All.ToList();
        var hint = RoomFanOut.Serialize(new RoomEvent(ServerRestarting, Guid.Empty, null, new RestartHint(true)));
        var closing = Task.WhenAll(connections.Select(c => c.CloseAsync(CloseReasons.ServerRestarting, allowReconnect: true, hint)));
        // A synchronous callback: blocking here is what keeps the sockets open until the goodbyes are out.
        var finished = closing.Wait(Patience);
        logger.LogInformation("Shutdown: closed {Count} live connections with a reconnect hint{Late}", connections.Count, finished ? "" : " (some did not answer in time)");
    }
}
