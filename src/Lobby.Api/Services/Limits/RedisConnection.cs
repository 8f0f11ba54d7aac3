using StackExchange.Redis;

namespace Lobby.Api.Services.Limits;

/// <summary>
/// One multiplexer to REDIS_URL for Lobby's own use (the SignalR backplane keeps its own),
/// connected on first use. AbortOnConnectFail is off, so a Redis that is down at startup or
/// later does not stop Lobby: the client reconnects in the background.
/// </summary>
internal sealed class RedisConnection(string configuration) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer = new(() =>
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        // A counter hit takes well under a millisecond; waiting longer only delays the request.
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 500;
        options.AsyncTimeout = 500;
        return ConnectionMultiplexer.ConnectAsync(options);
    });

    public async Task<IConnectionMultiplexer> GetAsync(CancellationToken ct) => await _multiplexer.Value.WaitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            await (await _multiplexer.Value).DisposeAsync();
        }
    }
}
