using Lobby.Api.Config;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Once a second, closes connections whose current write has waited on the client longer than
/// REALTIME_SEND_TIMEOUT_SECONDS: a client that stops reading holds only its own pump, and not
/// for long. (One timer for all connections costs less than a timeout per send.)
/// </summary>
internal sealed class StalledWriteWatch(ConnectionRegistry registry, IOptions<LobbyOptions> options, ILogger<StalledWriteWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var limit = TimeSpan.FromSeconds(options.Value.RealtimeSendTimeoutSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = Environment.TickCount64;
            foreach (var connection in registry.All)
            {
                if (!connection.IsClosing && connection.StalledFor(now) > limit)
                {
                    logger.LogInformation("Closing live connection {ConnectionId} of user {UserId}: {Reason} (a send stalled over {Seconds} s)",
                        connection.Id, connection.UserId, CloseReasons.SlowConsumer, limit.TotalSeconds);
                    _ = connection.CloseAsync(CloseReasons.SlowConsumer, allowReconnect: true);
                }
            }
        }
    }
}
