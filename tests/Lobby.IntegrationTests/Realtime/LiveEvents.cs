using System.Diagnostics;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Realtime;

/// <summary>Reading RoomEvents as the real-time tests need them.</summary>
internal static class LiveEvents
{
    public static long Seq(JsonElement e) => e.GetProperty("seq").GetInt64();

    public static string Type(JsonElement e) => e.GetProperty("type").GetString()!;

    public static bool CreatedIn(JsonElement e, Guid roomId) => Type(e) == "message.created" && e.GetProperty("roomId").GetGuid() == roomId;

    /// <summary>The seqs of message.created in the room, in arrival order, up to and including <paramref name="last"/>.</summary>
    public static async Task<List<long>> CollectUntilAsync(LiveClient client, Guid roomId, long last)
    {
        var seqs = new List<long>();
        while (seqs.Count == 0 || seqs[^1] < last)
        {
            seqs.Add(Seq(await client.NextAsync(e => CreatedIn(e, roomId))));
        }

        return seqs;
    }

    /// <summary>Every event up to and including the first that matches, in arrival order.</summary>
    public static async Task<List<JsonElement>> UntilAsync(LiveClient client, Func<JsonElement, bool> last)
    {
        var events = new List<JsonElement>();
        await client.NextAsync(e =>
        {
            events.Add(e);
            return last(e);
        });
        return events;
    }

    /// <summary>Posts one message after another and times each, end to end.</summary>
    public static async Task<List<TimeSpan>> PostLatenciesAsync(HttpClient http, TestAuth author, Guid roomId, int count)
    {
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await RoomsApi.PostAsync(http, author, roomId, $"timed {i}");
            latencies.Add(Stopwatch.GetElapsedTime(started));
        }

        return latencies;
    }

    public static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);
}
