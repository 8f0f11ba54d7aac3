using Lobby.Api.Config;

namespace Lobby.Api.Cli;

/// <summary>
/// Database settings for commands that run without the web host. Only DATABASE_URL (and
/// DATABASE_PASSWORD_FILE) is read:
/// a one-shot `migrate` container needs no signing keys or CORS settings.
/// </summary>
internal static class CliSettings
{
    public static string? DatabaseConnectionString()
    {
        DotEnvFile.LoadIfPresent();
        var url = Environment.GetEnvironmentVariable("DATABASE_URL");
        try
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                throw new SettingsException("DATABASE_URL is not set: give a postgres://user:password@host:5432/database URL or an Npgsql connection string");
            }

            return DatabaseUrl.ToConnectionString(url, Environment.GetEnvironmentVariable("DATABASE_PASSWORD_FILE"));
        }
        catch (SettingsException ex)
        {
            Console.Error.WriteLine($"lobby: configuration error: {ex.Message}");
            return null;
        }
    }
}
