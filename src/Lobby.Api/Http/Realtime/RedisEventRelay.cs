using System.Text.Json;
using Lobby.Api.Services.Rooms;
using StackExchange.Redis;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Carries room events between replicas over one Redis pub/sub channel (REDIS_URL). Publishing is
/// fire-and-forget, so a slow or absent Redis never holds up a request; what a replica misses
/// while Redis is away its followers fill in from the database by seq (see <see cref="DeliveryPump"/>).
/// Events a replica published itself come back on the channel and are skipped: it delivered them already.
/// </summary>
internal sealed class RedisEventRelay(IConnectionMultiplexer redis, RoomFanOut fanOut, ILogger<RedisEventRelay> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("lobby:room-events");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _origin = Guid.NewGuid().ToString("N");

    public void Publish(RoomEvent roomEvent)
    {
        try
        {
            var envelope = new Envelope(_origin, roomEvent.Type, roomEvent.RoomId, roomEvent.Seq, roomEvent.AccessVersion,
                roomEvent.Subject, roomEvent.FromConnection, JsonSerializer.SerializeToElement(roomEvent.Data, Json));
            redis.GetSubscriber().Publish(Channel, JsonSerializer.SerializeToUtf8Bytes(envelope, Json), CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Could not relay {EventType} for room {RoomId}: {Reason}", roomEvent.Type, roomEvent.RoomId, ex.Message);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
        // One ordered handler: events from each replica arrive in the order it published them.
        queue.OnMessage(message => Receive(message.Message));
    }

    public Task StopAsync(CancellationToken cancellationToken) => redis.GetSubscriber().UnsubscribeAllAsync();

    private void Receive(RedisValue payload)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>((byte[])payload!, Json);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Ignoring a malformed relayed event: {Reason}", ex.Message);
            return;
        }

        if (envelope is null || envelope.Origin == _origin)
        {
            return;
        }

        fanOut.Deliver(new RoomEvent(envelope.Type, envelope.RoomId, envelope.Seq, envelope.Data)
        {
            AccessVersion = envelope.AccessVersion,
            Subject = envelope.Subject,
            FromConnection = envelope.FromConnection,
        });
    }

    private sealed record Envelope(
        string Origin, string Type, Guid RoomId, long? Seq, long AccessVersion, Guid? Subject, string? FromConnection, JsonElement Data);
}
