using System.Diagnostics;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>Runs the built Lobby binary as a separate process, as operators and Docker do.</summary>
internal static class LobbyBinary
{
    /// <summary>
    /// The Native AOT executable the image ships, when <c>LOBBY_BINARY</c> names it (scripts/test.sh
    /// publishes it and sets this); otherwise the JIT build beside the tests, run by the dotnet host.
    /// </summary>
    public static string? Native { get; } = Environment.GetEnvironmentVariable("LOBBY_BINARY") is { Length: > 0 } path
        ? File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"LOBBY_BINARY names '{path}', which does not exist.")
        : null;

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Lobby.Api.dll");

    /// <summary>The program and the arguments before Lobby's own that start Lobby.</summary>
    public static string[] Command => Native is { } native ? [native] : ["dotnet", Dll];

    /// <summary>A start info for Lobby with <paramref name="args"/>, output redirected.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo(Command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in Command.Skip(1).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

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

        return Processes.RunAsync(Command[0], [.. Command.Skip(1), .. args], TimeSpan.FromSeconds(60), clean);
    }
}
