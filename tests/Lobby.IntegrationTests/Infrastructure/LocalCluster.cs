using System.Diagnostics;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of a test's own (scripts/pg.sh), for tests that stop and restart the
/// server without disturbing the shared one.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _dir;

    private LocalCluster(string dir, string url)
    {
        _dir = dir;
        Url = url;
    }

    public string Url { get; }

    public static async Task<LocalCluster> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lobby-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        var url = await PgScriptAsync("start", dir);
        return new LocalCluster(dir, url);
    }

    public Task StopAsync() => PgScriptAsync("stop", _dir);

    public Task RestartAsync() => PgScriptAsync("start", _dir);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task<string> PgScriptAsync(string verb, string dir)
    {
        var result = await Processes.RunAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "pg.sh"), verb, dir], TimeSpan.FromSeconds(90));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg.sh {verb} failed: {result.StdErr}");
        }

        return result.StdOut.Trim();
    }
}

internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

internal static class Processes
{
    public static async Task<ProcessResult> RunAsync(
        string file, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string?>? env = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
