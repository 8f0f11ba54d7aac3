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

internal static class LoggingFormats
{
    public const string Json = "json";
    public const string Text = "text";

    /// <summary>LOG_FORMAT, or its default: text for a developer's terminal, JSON for every shipper elsewhere.</summary>
    public static bool TryResolve(string? value, IHostEnvironment environment, out string format)
    {
        format = string.IsNullOrWhiteSpace(value) ? (environment.IsDevelopment() ? Text : Json) : value.Trim().ToLowerInvariant();
        if (format is Json or Text)
        {
            return true;
        }

        format = Json;
        return false;
    }
}
