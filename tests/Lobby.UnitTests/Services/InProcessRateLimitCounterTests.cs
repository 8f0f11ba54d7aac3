using Lobby.Api.Services.Limits;

namespace Lobby.UnitTests.Services;

public sealed class InProcessRateLimitCounterTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Hits_count_up_within_a_window_and_start_again_after_it()
    {
        var clock = new ManualClock();
        using var counter = new InProcessRateLimitCounter(clock);
        var window = TimeSpan.FromMinutes(1);

        Assert.Equal(1, counter.Hit("k", window).Count);
        clock.Now += TimeSpan.FromSeconds(20);
        var second = counter.Hit("k", window);
        Assert.Equal(2, second.Count);
        Assert.Equal(TimeSpan.FromSeconds(40), second.ResetsIn);
        Assert.Equal(1, counter.Hit("other", window).Count);

        clock.Now += TimeSpan.FromSeconds(41);
        Assert.Equal(1, counter.Hit("k", window).Count);
    }

    [Fact]
    public async Task Concurrent_hits_are_each_counted_once()
    {
        using var counter = new InProcessRateLimitCounter(TimeProvider.System);
        var counts = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => counter.Hit("k", TimeSpan.FromMinutes(1)).Count)));

        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), counts.Order());
    }
}
