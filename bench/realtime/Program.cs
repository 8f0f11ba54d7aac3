// Real-time delivery load test for Lobby (bench/realtime.sh).
//
//   dotnet RealtimeLoad.dll URL ROOM_ID TOKENS_FILE [connections=100] [rate=50] [seconds=30] [drain=10]
//
// Opens `connections` SignalR WebSocket connections to URL/api/v1/realtime (tokens from
// TOKENS_FILE, one a line, used round-robin: connection i uses token i % count), subscribes each
// to ROOM_ID from the room's current lastSeq, then posts `rate` messages a second for `seconds`
// over HTTP (a paced open loop: message i is sent at start + i / rate, whether or not earlier
// posts have been answered; posters rotate over the tokens). It then waits up to `drain` seconds
// for every connection to receive every message and prints one line:
//
//   RT posted=.. post_errors=.. deliveries=.. deliveries_per_s=.. complete_conns=../.. missing=..
//      duplicates=.. out_of_order=.. unexpected=.. id_mismatch=.. e2e_p50_ms=.. e2e_p99_ms=..
//      e2e_max_ms=.. early=.. send_p50_ms=.. send_p99_ms=.. post_p50_ms=.. post_p99_ms=.. ...
//
// e2e = event received minus the POST's 201 received (same process, monotonic clock); "early"
// counts deliveries that arrived before their own 201 (the server publishes before it answers),
// which count as negative latencies. send_* = event received minus the POST being sent.
// Exit code 0 when the measurement ran (violations are reported, not fatal); 1 on setup failure.
//
// `fanout` and `idle` as the first argument select the many-connection modes in Fanout.cs
// (bare WebSocket subscribers, slow consumers, server RSS); see there.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

if (args.Length > 0 && args[0] is "fanout" or "idle")
{
    return await Fanout.RunAsync(args);
}

if (args.Length < 3)
{
    await Console.Error.WriteLineAsync("usage: RealtimeLoad URL ROOM_ID TOKENS_FILE [connections] [rate] [seconds] [drain]");
    return 2;
}

var baseUrl = args[0].TrimEnd('/');
var roomId = Guid.Parse(args[1]);
var tokens = (await File.ReadAllLinesAsync(args[2])).Where(l => l.Length > 0).ToArray();
var connections = Arg(3, 100);
var rate = Arg(4, 50);
var seconds = Arg(5, 30);
var drainSeconds = Arg(6, 10);
if (tokens.Length == 0)
{
    await Console.Error.WriteLineAsync("no tokens");
    return 1;
}

ThreadPool.SetMinThreads(Math.Max(32, Environment.ProcessorCount * 8), 32);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = new Uri(baseUrl),
    Timeout = TimeSpan.FromSeconds(120), // posts may queue behind the room's gate; a client-side timeout would leave committed messages unaccounted for
};

// The room's current counter: subscriptions start after it, so no catch-up traffic is measured.
long startSeq;
using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/rooms/{roomId}"))
{
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[0]);
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    startSeq = doc.RootElement.GetProperty("lastSeq").GetInt64();
}

// ---------------------------------------------------------------------------------------------
// Connect and subscribe.
var receivers = new Receiver[connections];
var hubs = new HubConnection[connections];
using (var gate = new SemaphoreSlim(10))
{
    var opening = Enumerable.Range(0, connections).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            var token = tokens[i % tokens.Length];
            var receiver = new Receiver(roomId);
            var hub = new HubConnectionBuilder()
                .WithUrl(baseUrl + "/api/v1/realtime", o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                .Build();
            hub.ServerTimeout = TimeSpan.FromSeconds(60);
            hub.On<JsonElement>("RoomEvent", receiver.OnEvent);
            await hub.StartAsync();
            await hub.InvokeAsync("Subscribe", roomId, startSeq);
            receivers[i] = receiver;
            hubs[i] = hub;
        }
        finally
        {
            gate.Release();
        }
    });
    await Task.WhenAll(opening);
}

await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{connections} connections subscribed to {roomId} after seq {startSeq}"));
await Task.Delay(1000); // let presence events settle

// ---------------------------------------------------------------------------------------------
// Post at a steady rate.
var total = rate * seconds;
var posts = new Post[total];
var inFlight = new List<Task>(total);
var clock = Stopwatch.StartNew();
var filler = new string('x', 60);
for (var i = 0; i < total; i++)
{
    var due = TimeSpan.FromSeconds((double)i / rate);
    var wait = due - clock.Elapsed;
    if (wait > TimeSpan.FromMilliseconds(1))
    {
        await Task.Delay(wait);
    }

    while (clock.Elapsed < due)
    {
        Thread.SpinWait(50);
    }

    var n = i;
    inFlight.Add(Task.Run(async () => posts[n] = await PostAsync(n)));
}

await Task.WhenAll(inFlight);
var postingEnded = Stopwatch.GetTimestamp();
var accepted = posts.Where(p => p.Seq > 0).ToDictionary(p => p.Seq);
var postErrors = posts.Count(p => p.Seq <= 0);

// Drain: wait until every connection has every accepted message, or the drain time is over.
var drainClock = Stopwatch.StartNew();
while (drainClock.Elapsed < TimeSpan.FromSeconds(drainSeconds) && receivers.Any(r => r.CountOf(accepted) < accepted.Count))
{
    await Task.Delay(50);
}

// ---------------------------------------------------------------------------------------------
// Analyse.
long deliveries = 0, missing = 0, duplicates = 0, outOfOrder = 0, unexpected = 0, idMismatch = 0, early = 0;
var completeConns = 0;
var e2e = new List<double>();
var fromSend = new List<double>();
long firstSend = posts.Where(p => p.SentAt > 0).Select(p => p.SentAt).DefaultIfEmpty(0).Min();
long lastReceive = firstSend;
var expected = accepted.Keys.Order().ToArray();
foreach (var receiver in receivers)
{
    var got = receiver.Snapshot();
    var seen = new HashSet<long>();
    long previous = long.MinValue;
    var connectionOk = true;
    foreach (var (seq, id, at) in got)
    {
        if (!seen.Add(seq))
        {
            duplicates++;
            connectionOk = false;
        }

        if (seq < previous)
        {
            outOfOrder++;
            connectionOk = false;
        }

        previous = Math.Max(previous, seq);
        if (!accepted.TryGetValue(seq, out var post))
        {
            unexpected++;
            connectionOk = false;
            continue;
        }

        if (post.Id != id)
        {
            idMismatch++;
            connectionOk = false;
        }

        deliveries++;
        lastReceive = Math.Max(lastReceive, at);
        var latency = Stopwatch.GetElapsedTime(post.AcceptedAt, at).TotalMilliseconds;
        if (at < post.AcceptedAt)
        {
            latency = -Stopwatch.GetElapsedTime(at, post.AcceptedAt).TotalMilliseconds;
            early++;
        }

        e2e.Add(latency);
        fromSend.Add(Stopwatch.GetElapsedTime(post.SentAt, at).TotalMilliseconds);
    }

    var lost = expected.LongLength - expected.Count(seen.Contains);
    missing += lost;
    if (connectionOk && lost == 0 && got.Count == expected.Length)
    {
        completeConns++;
    }
}

var postLatency = posts.Where(p => p.Seq > 0).Select(p => Stopwatch.GetElapsedTime(p.SentAt, p.AcceptedAt).TotalMilliseconds).ToList();
var window = Stopwatch.GetElapsedTime(firstSend, Math.Max(lastReceive, firstSend + 1)).TotalSeconds;
var postWindow = Stopwatch.GetElapsedTime(firstSend, postingEnded).TotalSeconds;
var lastSent = posts.Where(p => p.SentAt > 0).Select(p => p.SentAt).DefaultIfEmpty(firstSend).Max();
var sendSpan = Stopwatch.GetElapsedTime(firstSend, lastSent).TotalSeconds;
var posted = accepted.Count;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RT connections={connections} users={Math.Min(tokens.Length, connections)} rate={rate} seconds={seconds} start_seq={startSeq} " +
    $"posted={posted} post_errors={postErrors} post_rate={(sendSpan > 0 ? (total - 1) / sendSpan : 0):F2} " +
    $"deliveries={deliveries} expected_deliveries={(long)posted * connections} deliveries_per_s={deliveries / window:F1} window_s={window:F3} " +
    $"complete_conns={completeConns} missing={missing} duplicates={duplicates} out_of_order={outOfOrder} unexpected={unexpected} id_mismatch={idMismatch} " +
    $"e2e_p50_ms={Pct(e2e, 50):F2} e2e_p90_ms={Pct(e2e, 90):F2} e2e_p99_ms={Pct(e2e, 99):F2} e2e_max_ms={Pct(e2e, 100):F2} early={early} " +
    $"send_p50_ms={Pct(fromSend, 50):F2} send_p99_ms={Pct(fromSend, 99):F2} " +
    $"post_p50_ms={Pct(postLatency, 50):F2} post_p99_ms={Pct(postLatency, 99):F2} post_max_ms={Pct(postLatency, 100):F2} posting_s={postWindow:F3}"));

foreach (var hub in hubs)
{
    await hub.DisposeAsync();
}

return 0;

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static double Pct(List<double> values, double p)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    values.Sort();
    var rank = (int)Math.Ceiling(p / 100 * values.Count) - 1;
    return values[Math.Clamp(rank, 0, values.Count - 1)];
}

async Task<Post> PostAsync(int n)
{
    var token = tokens[n % tokens.Length];
    var sentAt = Stopwatch.GetTimestamp();
    var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["body"] = string.Create(CultureInfo.InvariantCulture, $"rt {n:D6} sent {sentAt} {filler}") });
    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/rooms/{roomId}/messages")
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    try
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var acceptedAt = Stopwatch.GetTimestamp();
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"post {n}: {(int)response.StatusCode} {text}"));
            return new Post(0, "", sentAt, acceptedAt);
        }

        using var doc = JsonDocument.Parse(text);
        return new Post(doc.RootElement.GetProperty("seq").GetInt64(), doc.RootElement.GetProperty("id").GetString() ?? "", sentAt, acceptedAt);
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"post {n}: {ex.GetType().Name} {ex.Message}"));
        return new Post(0, "", sentAt, Stopwatch.GetTimestamp());
    }
}

/// <summary>One accepted (201) post: its seq and id, when it was sent and when the 201 arrived.</summary>
internal readonly record struct Post(long Seq, string Id, long SentAt, long AcceptedAt);

/// <summary>The message.created events one connection received for the room, in arrival order.</summary>
internal sealed class Receiver(Guid roomId)
{
    private readonly List<(long Seq, string Id, long At)> _events = new(4096);
    private readonly Lock _lock = new();

    public void OnEvent(JsonElement e)
    {
        var at = Stopwatch.GetTimestamp();
        if (e.GetProperty("type").GetString() != "message.created" || e.GetProperty("roomId").GetGuid() != roomId)
        {
            return;
        }

        var seq = e.GetProperty("seq").GetInt64();
        var id = e.GetProperty("data").GetProperty("id").GetString() ?? "";
        lock (_lock)
        {
            _events.Add((seq, id, at));
        }
    }

    public int CountOf(Dictionary<long, Post> accepted)
    {
        lock (_lock)
        {
            return _events.Where(x => accepted.ContainsKey(x.Seq)).Select(x => x.Seq).Distinct().Count();
        }
    }

    public List<(long Seq, string Id, long At)> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }
}
