using Lobby.Api.Config;
using Lobby.Api.Security;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Closes live connections whose session ended (logout, revoked session, disabled user, changed
/// role): at once for changes made on this replica (reported through <see cref="SessionChanges"/>),
/// and every REALTIME_SWEEP_SECONDS for all connections, which catches the rest. Token expiry
/// closes them through SignalR's CloseOnAuthenticationExpiration. Clients reconnect with a fresh token.
/// </summary>
internal sealed class SessionSweeper(
    ConnectionRegistry registry, SessionCheck sessions, SessionChanges changes, IOptions<LobbyOptions> options, ILogger<SessionSweeper> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SweepAsync(stoppingToken), FollowChangesAsync(stoppingToken));

    private async Task SweepAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RealtimeSweepSeconds));
        while (await timer.WaitForNextTickAsync(ct))
        {
            await CheckAsync(registry.All.ToList(), ct);
        }
    }

    private async Task FollowChangesAsync(CancellationToken ct)
    {
        await foreach (var sessionId in changes.Changed.ReadAllAsync(ct))
        {
            await CheckAsync([.. registry.All.Where(c => c.SessionId == sessionId)], ct);
        }
    }

    private async Task CheckAsync(IReadOnlyList<LiveConnection> connections, CancellationToken ct)
    {
        foreach (var connection in connections)
        {
            try
            {
                if (!await sessions.IsValidAsync(connection.SessionId, connection.Role, ct))
                {
                    logger.LogInformation("Closing live connection of user {UserId}: session ended", connection.UserId);
                    _ = connection.CloseAsync(CloseReasons.SessionEnded, allowReconnect: false);
                }
            }
            catch (Exception ex) when (ex is Store.DatabaseUnavailableException or Npgsql.NpgsqlException)
            {
                // Keep connections through a database blip; the next sweep decides.
                logger.LogWarning("Session check of live connections skipped: {Reason}", ex.Message);
                return;
            }
        }
    }
}
