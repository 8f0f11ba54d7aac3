using System.Collections.Concurrent;
using Lobby.Api.Config;
using Lobby.Api.Services.Rooms;
using Lobby.Api.Store;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Who is online in each room, sent coalesced: subscribing, leaving and disconnecting only mark a
/// room as changed, and at most once per REALTIME_PRESENCE_INTERVAL_MS the room's followers get
/// the new list, and only if it differs from the last one sent. However fast clients toggle, a
/// room sees a few presence events a second at most. A new follower gets the current list at once.
/// <para>
/// With REDIS_URL the list is the union over replicas: each replica keeps its own online users of
/// a room in a Redis sorted set (lobby:presence:{room}, scored by expiry), refreshes them every
/// third of REALTIME_PRESENCE_TTL_SECONDS and tells the others when its part changed. A killed
/// replica's users expire with the TTL. Without Redis (or while it is down) a replica shows its own users.
/// </para>
/// </summary>
internal sealed class PresenceBoard(
    ConnectionRegistry registry, RoomFanOut fanOut, IOptions<LobbyOptions> options, ILogger<PresenceBoard> logger, SharedRedis? redis = null)
    : BackgroundService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("lobby:presence");

    private readonly ConcurrentDictionary<Guid, byte> _changed = new();
    private readonly ConcurrentDictionary<Guid, Guid[]> _lastSent = new();
    private readonly Dictionary<Guid, Guid[]> _mine = []; // what this replica last wrote to Redis, per room

    public void Changed(Guid roomId) => _changed[roomId] = 0;

    public RoomEvent Snapshot(Guid roomId) =>
        Event(roomId, [.. registry.OnlineIn(roomId).Union(_lastSent.GetValueOrDefault(roomId) ?? []).Distinct().Order()]);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis is not null)
        {
            redis.Subscribe(Channel, message =>
            {
                var text = (string?)message ?? "";
                if (text.Length == 64 && !text.StartsWith(redis.Origin, StringComparison.Ordinal) && Guid.TryParseExact(text[32..], "N", out var roomId))
                {
                    Changed(roomId);
                }
            });
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ttl = TimeSpan.FromSeconds(options.Value.RealtimePresenceTtlSeconds);
        var heartbeat = ttl / 3;
        var nextHeartbeat = Environment.TickCount64;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.RealtimePresenceIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var beat = redis is not null && Environment.TickCount64 >= nextHeartbeat;
            if (beat)
            {
                // Refresh our part everywhere we have followers, and notice others' parts expiring.
                nextHeartbeat = Environment.TickCount64 + (long)heartbeat.TotalMilliseconds;
                foreach (var roomId in _mine.Keys.Concat(_lastSent.Keys).ToList())
                {
                    Changed(roomId);
                }
            }

            foreach (var roomId in _changed.Keys)
            {
                _changed.TryRemove(roomId, out _);
                var online = await OnlineAsync(roomId, beat, ttl);
                if (registry.FollowersOf(roomId).Count == 0)
                {
                    _lastSent.TryRemove(roomId, out _); // nobody here to tell
                    continue;
                }

                if (_lastSent.TryGetValue(roomId, out var last) && last.SequenceEqual(online))
                {
                    continue;
                }

                if (online.Length == 0)
                {
                    _lastSent.TryRemove(roomId, out _);
                }
                else
                {
                    _lastSent[roomId] = online;
                }

                fanOut.Deliver(Event(roomId, online));
            }
        }
    }

    private async Task<Guid[]> OnlineAsync(Guid roomId, bool refresh, TimeSpan ttl)
    {
        var here = registry.OnlineIn(roomId);
        if (redis is null || !redis.IsConnected)
        {
            return here;
        }

        try
        {
            var key = (RedisKey)("lobby:presence:" + roomId.ToString("N"));
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var before = _mine.GetValueOrDefault(roomId) ?? [];
            var db = redis.Database;
            var gone = before.Except(here).Select(u => (RedisValue)Member(u)).ToArray();
            if (gone.Length > 0)
            {
                await db.SortedSetRemoveAsync(key, gone);
            }

            if (here.Length > 0)
            {
                await db.SortedSetAddAsync(key, [.. here.Select(u => new SortedSetEntry(Member(u), now + (long)ttl.TotalMilliseconds))]);
                await db.KeyExpireAsync(key, ttl * 2);
            }

            if (here.Length == 0)
            {
                _mine.Remove(roomId);
            }
            else
            {
                _mine[roomId] = here;
            }

            if (!before.SequenceEqual(here))
            {
                redis.Publish(Channel, redis.Origin + roomId.ToString("N"));
            }

            if (refresh)
            {
                await db.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, now);
            }

            var live = await db.SortedSetRangeByScoreAsync(key, now, double.PositiveInfinity);
            return [.. live.Select(m => Guid.TryParseExact(((string)m!)[..32], "N", out var u) ? u : Guid.Empty)
                .Where(u => u != Guid.Empty).Union(here).Distinct().Order()];
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Presence of room {RoomId} from this replica only: {Reason}", roomId, ex.Message);
            return here;
        }
    }

    private string Member(Guid userId) => userId.ToString("N") + "/" + redis!.Origin;

    private static RoomEvent Event(Guid roomId, Guid[] online) => new(RoomEvent.Presence, roomId, null, new PresenceData(online));
}
