namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>Runs the built Lobby.Api binary as a separate process, as operators and Docker do.</summary>
internal static class LobbyBinary
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Lobby.Api.dll");

    /// <summary>
    /// Runs a command with only the given settings (plus PATH and HOME), so the developer's own
    /// environment or .env cannot leak into the result.
    /// </summary>
    public static Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var clean = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = null,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = null,
            ["LOG_LEVEL"] = null,
            ["MIGRATE_ON_STARTUP"] = null,
            ["CORS_ORIGINS"] = null,
        };
        foreach (var (key, value) in env)
        {
            clean[key] = value;
        }

        return Processes.RunAsync("dotnet", [Dll, .. args], TimeSpan.FromSeconds(60), clean);
    }
}
