using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Lobby.Api.Http.Realtime;

/// <summary>A live connection on this replica and the rooms it follows.</summary>
internal sealed class RealtimeConnection(string connectionId, Guid userId, Guid sessionId, string role, HubCallerContext context)
{
    public string ConnectionId { get; } = connectionId;
    public Guid UserId { get; } = userId;
    public Guid SessionId { get; } = sessionId;
    public string Role { get; } = role;
    public HubCallerContext Context { get; } = context;
    public ConcurrentDictionary<Guid, byte> Rooms { get; } = new();
    public ConcurrentDictionary<Guid, long> LastTypingTicks { get; } = new();
}

/// <summary>The connections of this replica: for presence, membership changes, limits and the session sweep.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, RealtimeConnection> _connections = new();

    public IEnumerable<RealtimeConnection> All => _connections.Values;

    public bool TryAdd(RealtimeConnection connection, int maxPerUser)
    {
        lock (_connections)
        {
            if (_connections.Values.Count(c => c.UserId == connection.UserId) >= maxPerUser)
            {
                return false;
            }

            _connections[connection.ConnectionId] = connection;
            return true;
        }
    }

    public RealtimeConnection? Remove(string connectionId)
    {
        lock (_connections)
        {
            return _connections.TryRemove(connectionId, out var removed) ? removed : null;
        }
    }

    public RealtimeConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public IEnumerable<RealtimeConnection> OfUserInRoom(Guid userId, Guid roomId) =>
        _connections.Values.Where(c => c.UserId == userId && c.Rooms.ContainsKey(roomId));

    public IEnumerable<RealtimeConnection> InRoom(Guid roomId) => _connections.Values.Where(c => c.Rooms.ContainsKey(roomId));

    /// <summary>Who is online in a room, as far as this replica knows.</summary>
    public Guid[] OnlineIn(Guid roomId) => [.. InRoom(roomId).Select(c => c.UserId).Distinct().Order()];
}
