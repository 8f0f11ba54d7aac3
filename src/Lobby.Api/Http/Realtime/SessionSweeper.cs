using Lobby.Api.Config;
using Lobby.Api.Security;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Closes live connections whose session was revoked (logout, revoked session, disabled user,
/// changed role). Token expiry closes them through SignalR's CloseOnAuthenticationExpiration.
/// Clients reconnect with a fresh token.
/// </summary>
internal sealed class SessionSweeper(ConnectionRegistry registry, SessionCheck sessions, IOptions<LobbyOptions> options, ILogger<SessionSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RealtimeSweepSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var connection in registry.All.ToList())
            {
                try
                {
                    if (!await sessions.IsValidAsync(connection.SessionId, connection.Role, stoppingToken))
                    {
                        logger.LogInformation("Closing live connection of user {UserId}: session ended", connection.UserId);
                        connection.Context.Abort();
                    }
                }
                catch (Exception ex) when (ex is Store.DatabaseUnavailableException or Npgsql.NpgsqlException)
                {
                    // Keep connections through a database blip; the next sweep decides.
                    logger.LogWarning("Session sweep skipped: {Reason}", ex.Message);
                    break;
                }
            }
        }
    }
}
