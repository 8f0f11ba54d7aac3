using System.Collections.Concurrent;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// The live connections of this replica, and for each room the connections that follow it: the
/// index <see cref="RoomFanOut"/> walks for every event, and what presence, membership changes,
/// limits, the session sweep and shutdown look at.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, LiveConnection> _connections = new();
    // Per room, an array replaced whole on every follow or unfollow: the fan-out reads it for every
    // event without a lock or a copy, and following is rare next to delivering.
    private readonly ConcurrentDictionary<Guid, LiveConnection[]> _followers = new();
    private readonly Lock _admission = new();
    private readonly Lock _following = new();

    public IEnumerable<LiveConnection> All => _connections.Values;

    public int Count => _connections.Count;

    public bool TryAdd(LiveConnection connection, int maxPerUser)
    {
        lock (_admission)
        {
            if (_connections.Values.Count(c => c.UserId == connection.UserId) >= maxPerUser)
            {
                return false;
            }

            _connections[connection.Id] = connection;
            return true;
        }
    }

    public LiveConnection? Remove(string connectionId)
    {
        lock (_admission)
        {
            if (!_connections.TryRemove(connectionId, out var removed))
            {
                return null;
            }

            foreach (var roomId in removed.Rooms.Keys)
            {
                Unfollow(removed, roomId);
            }

            return removed;
        }
    }

    public LiveConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    /// <summary>From now on the room's events reach this connection's outbox.</summary>
    public void Follow(LiveConnection connection, Guid roomId)
    {
        lock (_following)
        {
            var followers = _followers.GetValueOrDefault(roomId, []);
            if (!followers.Contains(connection))
            {
                _followers[roomId] = [.. followers, connection];
            }
        }
    }

    public void Unfollow(LiveConnection connection, Guid roomId)
    {
        lock (_following)
        {
            if (!_followers.TryGetValue(roomId, out var followers) || !followers.Contains(connection))
            {
                return;
            }

            if (followers.Length == 1)
            {
                _followers.TryRemove(roomId, out _);
            }
            else
            {
                _followers[roomId] = [.. followers.Where(c => c != connection)];
            }
        }
    }

    /// <summary>One user's connections on this replica (a handful: see REALTIME_MAX_CONNECTIONS_PER_USER); a scan, as admission does.</summary>
    public IReadOnlyList<LiveConnection> OfUser(Guid userId) => [.. _connections.Values.Where(c => c.UserId == userId)];

    public IReadOnlyList<LiveConnection> FollowersOf(Guid roomId) => _followers.GetValueOrDefault(roomId, []);

    /// <summary>Who is online in a room on this replica: users with a caught-up subscription.</summary>
    public Guid[] OnlineIn(Guid roomId) =>
        [.. FollowersOf(roomId).Where(c => c.Rooms.TryGetValue(roomId, out var cursor) && cursor.Confirmed).Select(c => c.UserId).Distinct().Order()];
}
