using System.Diagnostics.Metrics;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Live delivery in numbers (meter "Lobby.Realtime", at /metrics with METRICS_ENABLED and over OTLP):
/// open connections, events sent, and connections Lobby closed, by reason (slow-consumer is the
/// one to watch: clients that cannot keep up), and connections that ended otherwise, by cause
/// (the client closed, or the transport failed: a dropped socket, SignalR's client timeout, or
/// Kestrel's minimum response data rate on a socket that stopped reading).
/// </summary>
internal sealed class RealtimeMetrics
{
    public const string MeterName = "Lobby.Realtime";
    private readonly Counter<long> _closed;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _ended;

    public RealtimeMetrics(IMeterFactory meters, ConnectionRegistry registry)
    {
        var meter = meters.Create(MeterName);
        _closed = meter.CreateCounter<long>("lobby.realtime.connections.closed", description: "Live connections closed by Lobby, by reason");
        _ended = meter.CreateCounter<long>("lobby.realtime.connections.ended", description: "Live connections that ended without Lobby closing them, by cause");
        _sent = meter.CreateCounter<long>("lobby.realtime.events.sent", description: "Room events written to live connections");
        meter.CreateObservableGauge("lobby.realtime.connections", () => registry.Count, description: "Open live connections on this replica");
    }

    /// <summary>The reason's code: what comes before the colon of a <see cref="CloseReasons"/> text.</summary>
    public void Closed(string reason) => _closed.Add(1, new KeyValuePair<string, object?>("reason", reason.Split(':')[0]));

    public void Sent() => _sent.Add(1);

    /// <summary>A connection ended that Lobby did not close: "client" for a clean close, "transport" for anything else.</summary>
    public void Ended(Exception? exception) => _ended.Add(1, new KeyValuePair<string, object?>("cause", exception is null ? "client" : "transport"));
}
