using Lobby.Api.Config;
using Lobby.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// The real-time endpoint (/api/v1/realtime). Clients call Subscribe(roomId, afterSeq),
/// Unsubscribe(roomId) and Typing(roomId); the server calls RoomEvent. Thin: rules live in <see cref="RoomFeed"/>.
/// </summary>
[Authorize(Policy = Policies.User)]
internal sealed class RoomHub(RoomFeed feed, ConnectionRegistry registry, IOptions<LobbyOptions> options) : Hub
{
    public const string Path = "/api/v1/realtime";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        var connection = new RealtimeConnection(Context.ConnectionId, user.UserId(), user.SessionId(), user.Role(), Context);
        if (!registry.TryAdd(connection, options.Value.RealtimeMaxConnectionsPerUser))
        {
            throw new HubException($"At most {options.Value.RealtimeMaxConnectionsPerUser} live connections per user.");
        }

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (registry.Remove(Context.ConnectionId) is { } connection)
        {
            await feed.DisconnectedAsync(connection);
        }

        await base.OnDisconnectedAsync(exception);
    }

    public Task Subscribe(Guid roomId, long afterSeq) => feed.SubscribeAsync(Current(), roomId, afterSeq, Context.ConnectionAborted);

    public Task Unsubscribe(Guid roomId) => feed.UnsubscribeAsync(Current(), roomId);

    public Task Typing(Guid roomId) => feed.TypingAsync(Current(), roomId);

    private RealtimeConnection Current() => registry.Find(Context.ConnectionId) ?? throw new HubException("Connection is closing.");
}
