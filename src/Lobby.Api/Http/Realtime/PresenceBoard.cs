using System.Collections.Concurrent;
using Lobby.Api.Config;
using Lobby.Api.Services.Rooms;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Who is online in each room, sent coalesced: subscribing, leaving and disconnecting only mark a
/// room as changed, and at most once per REALTIME_PRESENCE_INTERVAL_MS the room's followers get
/// the new list, and only if it differs from the last one sent. However fast clients toggle,
/// a room sees a few presence events a second at most. A new follower gets the current list at once.
/// </summary>
internal sealed class PresenceBoard(ConnectionRegistry registry, RoomFanOut fanOut, IOptions<LobbyOptions> options) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, byte> _changed = new();
    private readonly Dictionary<Guid, Guid[]> _lastSent = [];

    public void Changed(Guid roomId) => _changed[roomId] = 0;

    public RoomEvent Snapshot(Guid roomId) => Event(roomId, registry.OnlineIn(roomId));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.RealtimePresenceIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var roomId in _changed.Keys)
            {
                _changed.TryRemove(roomId, out _);
                var online = registry.OnlineIn(roomId);
                if (_lastSent.TryGetValue(roomId, out var last) && last.SequenceEqual(online))
                {
                    continue;
                }

                if (online.Length == 0)
                {
                    _lastSent.Remove(roomId);
                }
                else
                {
                    _lastSent[roomId] = online;
                }

                fanOut.Deliver(Event(roomId, online));
            }
        }
    }

    private static RoomEvent Event(Guid roomId, Guid[] online) => new(RoomEvent.Presence, roomId, null, new { userIds = online });
}
