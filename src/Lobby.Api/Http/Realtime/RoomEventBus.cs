using System.Threading.Channels;
using Lobby.Api.Services.Rooms;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Where services publish committed room changes. Publish only queues the event; one loop per
/// replica hands each event, in publish order, to this replica's followers (<see cref="RoomFanOut"/>)
/// and, with REDIS_URL, to the other replicas (<see cref="RedisEventRelay"/>). So a request that
/// committed a message returns without walking a room's followers or serializing for Redis,
/// whatever the room's size, the clients or Redis are doing.
/// </summary>
internal sealed class RoomEventBus(RoomFanOut fanOut, ILogger<RoomEventBus> logger, RedisEventRelay? relay = null)
    : BackgroundService, IRoomEventPublisher
{
    // Unbounded on purpose: the loop does only non-blocking offers, so it drains as fast as
    // PostgreSQL can commit; a bound here would have to drop events or make requests wait.
    private readonly Channel<RoomEvent> _queue = Channel.CreateUnbounded<RoomEvent>(new UnboundedChannelOptions { SingleReader = true });

    public void Publish(RoomEvent roomEvent) => _queue.Writer.TryWrite(roomEvent);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var roomEvent in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                fanOut.Deliver(roomEvent);
                relay?.Publish(roomEvent);
            }
            catch (Exception ex)
            {
                // One bad event must not stop live delivery; followers fill any gap by seq on the next one.
                logger.LogError(ex, "Fan-out of a {Type} event of room {RoomId} failed", roomEvent.Type, roomEvent.RoomId);
            }
        }
    }
}
