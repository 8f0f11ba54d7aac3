using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>
/// The server lines logged while one test class runs, kept in memory instead of on stdout.
/// FailedTestOutput attaches them to the result of a test that fails (so `dotnet test` prints
/// them under that test) and drops them for one that passes: the errors some tests cause on
/// purpose never reach the console.
/// </summary>
public sealed class ServerLogBuffer
{
    private static readonly AsyncLocal<ServerLogBuffer?> CurrentBuffer = new();
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The buffer of the test class running in this async flow (and of the requests it sends).</summary>
    public static ServerLogBuffer? Current
    {
        get => CurrentBuffer.Value;
        set => CurrentBuffer.Value = value;
    }

    public void Add(string line) => _lines.Enqueue(line);

    /// <summary>What the current test has logged so far, left in place.</summary>
    public string Peek() => string.Concat(_lines);

    /// <summary>Everything logged since the last call, which starts the next test's share.</summary>
    public string Drain()
    {
        var text = new System.Text.StringBuilder();
        while (_lines.TryDequeue(out var line))
        {
            text.Append(line);
        }

        return text.ToString();
    }
}

/// <summary>
/// The Serilog sink the factories register in place of stdout (LoggingSetup uses a sink it finds
/// in DI). Lines are rendered with the server's LOG_FORMAT=text template; events are also kept
/// for tests that assert on the logs themselves.
/// </summary>
public sealed class ServerLogSink : ILogEventSink
{
    private static readonly MessageTemplateTextFormatter Text = new(
        "[{Timestamp:HH:mm:ss.fff} {Level:u3} {RequestId}] {SourceContext}: {Message:lj}{NewLine}{Exception}", CultureInfo.InvariantCulture);

    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyCollection<LogEvent> Events => _events;

    public void Emit(LogEvent logEvent)
    {
        _events.Enqueue(logEvent);
        if (ServerLogBuffer.Current is { } buffer)
        {
            using var line = new StringWriter(CultureInfo.InvariantCulture);
            Text.Format(logEvent, line);
            buffer.Add(line.ToString());
        }
    }
}
