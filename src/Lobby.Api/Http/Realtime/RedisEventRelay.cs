using System.Text.Json;
using Lobby.Api.Services.Rooms;
using Lobby.Api.Store;
using StackExchange.Redis;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Carries room events between replicas over one Redis pub/sub channel (REDIS_URL). Publishing is
/// fire-and-forget, so a slow or absent Redis never holds up a request; what a replica misses
/// while Redis is away its followers fill in from the database by seq (see <see cref="DeliveryPump"/>).
/// Events a replica published itself come back on the channel and are skipped: it delivered them already.
/// </summary>
internal sealed class RedisEventRelay(SharedRedis redis, RoomFanOut fanOut, ConnectionRegistry registry, ILogger<RedisEventRelay> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("lobby:room-events");
    private static LobbyJsonContext Json => LobbyJsonContext.Default;

    public void Publish(RoomEvent roomEvent)
    {
        var envelope = new Envelope(redis.Origin, roomEvent.Type, roomEvent.RoomId, roomEvent.Seq, roomEvent.AccessVersion,
            roomEvent.Subject, roomEvent.FromConnection, JsonSerializer.SerializeToElement(roomEvent.Data, roomEvent.Data.GetType(), Json), roomEvent.ForUser);
        redis.Publish(Channel, JsonSerializer.SerializeToUtf8Bytes(envelope, Json.Envelope));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // One ordered handler: events from each replica arrive in the order it published them.
        redis.Subscribe(Channel, Receive);
        redis.Connection.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                logger.LogWarning("Redis relay lost ({Failure}): other replicas' events wait until it is back; posting is unaffected", e.FailureType);
            }
        };
        redis.Connection.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                Resync();
            }
        };
        return Task.CompletedTask;
    }

    /// <summary>
    /// After an outage every followed room may have missed events relayed by other replicas
    /// (messages, removals, rooms made private): each connection re-checks access and is sent
    /// what it is missing, by seq, so nothing of that window stays lost.
    /// </summary>
    private void Resync()
    {
        var connections = registry.All.ToList();
        foreach (var connection in connections)
        {
            foreach (var roomId in connection.Rooms.Keys)
            {
                connection.Offer(new Resync(roomId), logger);
            }
        }

        logger.LogInformation("Redis relay back: resynchronising {Count} live connections from the database", connections.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask; // the connection closes with the process

    private void Receive(RedisValue payload)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize((byte[])payload!, Json.Envelope);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Ignoring a malformed relayed event: {Reason}", ex.Message);
            return;
        }

        if (envelope is null || envelope.Origin == redis.Origin)
        {
            return;
        }

        fanOut.Deliver(new RoomEvent(envelope.Type, envelope.RoomId, envelope.Seq, envelope.Data)
        {
            AccessVersion = envelope.AccessVersion,
            Subject = envelope.Subject,
            FromConnection = envelope.FromConnection,
            ForUser = envelope.ForUser,
        });
    }

    internal sealed record Envelope(
        string Origin, string Type, Guid RoomId, long? Seq, long AccessVersion, Guid? Subject, string? FromConnection, JsonElement Data,
        Guid? ForUser = null);
}
