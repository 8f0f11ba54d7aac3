using Serilog.Events;

namespace Lobby.Api.Config;

internal static class LoggingLevels
{
    public static string Names => string.Join(", ", Enum.GetNames<LogEventLevel>());

    /// <summary>Parses a level name; on failure <paramref name="level"/> stays Information.</summary>
    public static bool TryParse(string? value, out LogEventLevel level)
    {
        if (!string.IsNullOrWhiteSpace(value) && !int.TryParse(value, out _)
            && Enum.TryParse<LogEventLevel>(value.Trim(), ignoreCase: true, out var parsed))
        {
            level = parsed;
            return true;
        }

        level = LogEventLevel.Information;
        return false;
    }
}
