using System.Collections.Concurrent;

namespace Lobby.Api.Services.Limits;

/// <summary>
/// Counters in this process's memory: exact for one replica, per replica with several. Windows
/// that have ended are dropped on a timer, so memory follows the keys active in the last window.
/// </summary>
internal sealed class InProcessRateLimitCounter : IRateLimitCounter, IDisposable
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly ITimer _sweeper;

    public InProcessRateLimitCounter(TimeProvider clock)
    {
        _clock = clock;
        _sweeper = clock.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    public ValueTask<WindowCount> HitAsync(string key, TimeSpan window, CancellationToken ct) => ValueTask.FromResult(Hit(key, window));

    public WindowCount Hit(string key, TimeSpan window)
    {
        var now = _clock.GetUtcNow();
        while (true)
        {
            var current = _windows.GetOrAdd(key, static (_, state) => new Window(state.now + state.window), (now, window));
            if (current.EndsAt <= now)
            {
                // Ended: replace it, unless another thread already did.
                _windows.TryUpdate(key, new Window(now + window), current);
                continue;
            }

            return new WindowCount(current.Add(), current.EndsAt - now);
        }
    }

    public void Dispose() => _sweeper.Dispose();

    private void Sweep()
    {
        var now = _clock.GetUtcNow();
        foreach (var (key, window) in _windows)
        {
            if (window.EndsAt <= now)
            {
                _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
            }
        }
    }

    private sealed class Window(DateTimeOffset endsAt)
    {
        private long _count;

        public DateTimeOffset EndsAt { get; } = endsAt;

        public long Add() => Interlocked.Increment(ref _count);
    }
}
