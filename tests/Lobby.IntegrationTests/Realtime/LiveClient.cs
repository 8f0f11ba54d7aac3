using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lobby.IntegrationTests.Realtime;

/// <summary>The real .NET SignalR client on WebSockets, recording every RoomEvent it receives.</summary>
internal sealed class LiveClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LiveClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("RoomEvent", e => _events.Writer.TryWrite(e));
        connection.Closed += ex =>
        {
            _closed.TrySetResult(ex);
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    public Task<Exception?> Closed => _closed.Task;

    public static async Task<LiveClient> ConnectAsync(string baseUrl, string? accessToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl($"{baseUrl}/api/v1/realtime", o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult(accessToken);
            })
            .Build();
        var client = new LiveClient(connection);
        await connection.StartAsync();
        return client;
    }

    public Task SubscribeAsync(Guid roomId, long afterSeq = 0) => Connection.InvokeAsync("Subscribe", roomId, afterSeq);

    public Task UnsubscribeAsync(Guid roomId) => Connection.InvokeAsync("Unsubscribe", roomId);

    public Task TypingAsync(Guid roomId) => Connection.InvokeAsync("Typing", roomId);

    /// <summary>The next event matching <paramref name="match"/>, skipping others; fails after 15 s.</summary>
    public Task<JsonElement> NextAsync(Func<JsonElement, bool> match) => NextAsync(match, Patience);

    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, TimeSpan patience)
    {
        using var cts = new CancellationTokenSource(patience);
        while (true)
        {
            var e = await _events.Reader.ReadAsync(cts.Token);
            if (match(e))
            {
                return e;
            }
        }
    }

    public Task<JsonElement> NextAsync(string type) => NextAsync(e => e.GetProperty("type").GetString() == type);

    /// <summary>Events received so far, without waiting.</summary>
    public List<JsonElement> Drain()
    {
        var list = new List<JsonElement>();
        while (_events.Reader.TryRead(out var e))
        {
            list.Add(e);
        }

        return list;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
