using Microsoft.AspNetCore.SignalR;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// SignalR's in-process lifetime manager, plus one thing: it leaves each connection's
/// <see cref="HubConnectionContext"/> in its Items, so <see cref="RoomHub"/> can give the
/// delivery pipeline the connection itself (a write with backpressure, a close with a reason)
/// instead of sending through group lookups. Replicas share events through
/// <see cref="RedisEventRelay"/>, not SignalR's backplane.
/// </summary>
internal sealed class LiveLifetimeManager(ILogger<DefaultHubLifetimeManager<RoomHub>> logger) : DefaultHubLifetimeManager<RoomHub>(logger)
{
    private static readonly object ContextKey = new();

    public static HubConnectionContext ConnectionOf(HubCallerContext caller) =>
        caller.Items.TryGetValue(ContextKey, out var context) && context is HubConnectionContext connection
            ? connection
            : throw new InvalidOperationException("The hub is not running on LiveLifetimeManager.");

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        connection.Items[ContextKey] = connection;
        return base.OnConnectedAsync(connection);
    }
}
