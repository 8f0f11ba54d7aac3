using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>The built Lobby.Api binary serving on real Kestrel at a free loopback port.</summary>
internal sealed class LobbyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private readonly SemaphoreSlim _newOutput = new(0);

    private LobbyProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    /// <summary>The per-user write limits, which tests lift out of the way unless they test them.</summary>
    public static readonly string[] PerUserLimits =
    [
        "ROOM_CREATE_RATE_LIMIT_PER_MINUTE", "MEMBERSHIP_RATE_LIMIT_PER_MINUTE", "EDIT_RATE_LIMIT_PER_MINUTE",
        "PROFILE_RATE_LIMIT_PER_MINUTE", "SESSION_RATE_LIMIT_PER_MINUTE", "DIRECTORY_RATE_LIMIT_PER_MINUTE",
    ];

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public static async Task<LobbyProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var info = LobbyBinary.StartInfo();
        info.Environment["DATABASE_URL"] = connectionString;
        info.Environment["ASPNETCORE_URLS"] = url;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["JWT_SIGNING_KEYS"] = TestKeys.PrivateKeyFile;
        info.Environment["LOG_LEVEL"] = "Warning";
        info.Environment["AUTH_RATE_LIMIT_PER_IP"] = "1000000";
        info.Environment["AUTH_RATE_LIMIT_PER_EMAIL"] = "1000000";
        info.Environment["MESSAGE_RATE_LIMIT_PER_MINUTE"] = "1000000";
        info.Environment["AUTH_RATE_LIMIT_PER_EMAIL_AND_IP"] = "1000000";
        foreach (var limit in PerUserLimits)
        {
            info.Environment[limit] = "1000000";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var lobby = new LobbyProcess(process, url);
        process.OutputDataReceived += (_, e) => lobby.Received(e.Data);
        process.ErrorDataReceived += (_, e) => lobby.Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Wait for readiness: bounded polling of the probe the orchestrators use.
        for (var attempt = 0; attempt < 120 && !process.HasExited; attempt++)
        {
            try
            {
                using var ready = await lobby.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return lobby;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        await lobby.DisposeAsync();
        throw new InvalidOperationException($"Lobby at {url} never became ready");
    }

    /// <summary>Every line of stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>The first line of stdout/stderr that matches, waiting for it as it is written.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_output.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            try
            {
                await _newOutput.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no matching output within {timeout}; got:\n{string.Join("\n", _output.TakeLast(20))}");
            }
        }
    }

    private void Received(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            _newOutput.Release();
        }
    }

    /// <summary>SIGTERM, as Docker and Kubernetes stop a container; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        var kill = await Processes.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException("kill -TERM failed: " + kill.StdErr);
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown at all, as in a crash or an OOM kill.</summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _newOutput.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
