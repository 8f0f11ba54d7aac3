// Fan-out at scale (bench/realtime.sh, RT_SCENARIOS fanout/slow/idle).
//
//   dotnet RealtimeLoad.dll fanout URL ROOM_ID TOKENS_FILE [--connections 2000] [--slow 0]
//          [--rates 10,20,30] [--seconds 60] [--drain 10] [--target-p99 100] [--server-pid PID]
//   dotnet RealtimeLoad.dll idle URL ROOM_ID TOKENS_FILE [--connections 5000] [--settle 10] [--server-pid PID]
//
// Unlike the default mode (SignalR's .NET client, one HubConnection per subscriber, fine for 100),
// the subscribers here are bare WebSockets speaking SignalR's JSON protocol by hand: handshake,
// Subscribe(roomId, lastSeq), pings every 10 s, and a receive loop that takes the receive time
// once per read and pulls seq and data.id out of each message.created with a byte search, so
// the load tool's own CPU per delivery stays small next to the server's (they share the cores).
//
// fanout: opens `connections` readers (tokens round-robin), all subscribed to ROOM_ID after its
// current lastSeq, and `slow` raw TCP sockets (4 KiB receive buffer) that upgrade, subscribe and
// then never read again (they keep sending pings, so only their reading stops). Then, for each
// rate in `rates`, one phase: `seconds` of paced open-loop POSTs (message i at start + i/rate)
// and up to `drain` s for every reader to have every accepted message. One FO line per phase:
// deliveries/s, per-reader completeness and order, 201 → event latency over all deliveries
// (e2e_*), post latency, server RSS (VmRSS of --server-pid, sampled every 250 ms: at the phase
// start, peak, end), and for the slow sockets how many the server closed (seen as a failed
// write) and Lobby's lobby_realtime_connections_closed_total{reason="slow-consumer"} from
// /metrics (METRICS_ENABLED=true). The ladder stops after the first phase whose p99 exceeds
// --target-p99 or that lost a delivery.
//
// idle: server RSS, then `connections` readers subscribed (no posts), `settle` s, RSS again: one
// IDLE line with the difference per connection.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

internal static class Fanout
{
    private static readonly byte[] RecordSeparator = [0x1e];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 4)
        {
            await Console.Error.WriteLineAsync("usage: RealtimeLoad fanout|idle URL ROOM_ID TOKENS_FILE [--option value ...]");
            return 2;
        }

        var mode = args[0];
        var baseUrl = args[1].TrimEnd('/');
        var roomId = Guid.Parse(args[2]);
        var tokens = (await File.ReadAllLinesAsync(args[3])).Where(l => l.Length > 0).ToArray();
        var opts = new Dictionary<string, string>();
        for (var i = 4; i + 1 < args.Length; i += 2)
        {
            opts[args[i].TrimStart('-')] = args[i + 1];
        }

        int Opt(string name, int fallback) => opts.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var connections = Opt("connections", mode == "idle" ? 5000 : 2000);
        var slow = Opt("slow", 0);
        var seconds = Opt("seconds", 60);
        var drain = Opt("drain", 10);
        var targetP99 = Opt("target-p99", 100);
        var settle = Opt("settle", 10);
        var serverPid = Opt("server-pid", 0);
        var slowFromZero = opts.GetValueOrDefault("slow-from") == "0"; // slow sockets subscribe from seq 0: the room's whole history
        var rates = (opts.GetValueOrDefault("rates") ?? "10").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var maxTotal = rates.Sum() * seconds;
        if (maxTotal > 200_000 || connections > 20_000 || seconds > 600)
        {
            await Console.Error.WriteLineAsync("refusing: more than 200,000 posts, 20,000 connections or 600 s per phase");
            return 2;
        }

        ThreadPool.SetMinThreads(Math.Max(32, Environment.ProcessorCount * 8), 32);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var startSeq = await LastSeqAsync(http, roomId, tokens[0]);
        var wsUri = new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/api/v1/realtime");
        using var stop = new CancellationTokenSource();
        using var rss = new RssSampler(serverPid);
        var rssBefore = rss.Now();

        // ---------------------------------------------------------------------------------------
        // Connect: readers, then the slow sockets.
        var connectClock = Stopwatch.StartNew();
        var capacity = Math.Min(maxTotal, 400_000) + 16;
        var readers = new Reader[connections];
        using (var gate = new SemaphoreSlim(16))
        {
            await Task.WhenAll(Enumerable.Range(0, connections).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var reader = new Reader(mode == "idle" ? 16 : capacity);
                    await reader.ConnectAsync(wsUri, tokens[i % tokens.Length], roomId, startSeq, stop.Token);
                    readers[i] = reader;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var slowOnes = new SlowSocket[slow];
        for (var i = 0; i < slow; i++)
        {
            slowOnes[i] = new SlowSocket();
            await slowOnes[i].ConnectAsync(wsUri, tokens[(connections + i) % tokens.Length], roomId, slowFromZero ? 0 : startSeq, waitForSubscribe: !slowFromZero);
        }

        var connectSeconds = connectClock.Elapsed.TotalSeconds;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{connections} readers + {slow} slow sockets subscribed to {roomId} after seq {startSeq} in {connectSeconds:F1} s"));
        var pinger = PingLoopAsync(readers, slowOnes, stop.Token);

        if (mode == "idle")
        {
            await Task.Delay(TimeSpan.FromSeconds(settle));
            var rssIdle = rss.Now();
            var open = readers.Count(r => !r.Closed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"IDLE connections={connections} open={open} users={Math.Min(tokens.Length, connections)} connect_s={connectSeconds:F1} " +
                $"rss_before_kb={rssBefore} rss_idle_kb={rssIdle} rss_per_conn_kb={(rssIdle - rssBefore) / (double)connections:F2} settle_s={settle}"));
            await stop.CancelAsync();
            await CloseAllAsync(readers, slowOnes);
            return 0;
        }

        await Task.Delay(2000); // presence settles
        var filler = new string('x', 60);
        var seqBase = startSeq;
        var phaseNo = 0;
        foreach (var rate in rates)
        {
            phaseNo++;
            var metricsBefore = await SlowConsumerClosesAsync(http);
            var total = rate * seconds;
            var posts = new Post[total];
            var inFlight = new Task[total];
            var tcpStart = RssSampler.TcpMemKb();
            rss.Start();
            var rssStart = rss.Now();
            var clock = Stopwatch.StartNew();
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
                inFlight[i] = Task.Run(async () => posts[n] = await PostAsync(http, tokens[n % tokens.Length], roomId, n, filler));
            }

            await Task.WhenAll(inFlight);
            var postingEnded = Stopwatch.GetTimestamp();
            var accepted = posts.Where(p => p.Seq > 0).ToDictionary(p => p.Seq);
            var lastSeq = accepted.Count > 0 ? accepted.Keys.Max() : seqBase;
            var drainClock = Stopwatch.StartNew();
            while (drainClock.Elapsed < TimeSpan.FromSeconds(drain) && readers.Any(r => !r.Closed && Volatile.Read(ref r.MaxSeq) < lastSeq))
            {
                await Task.Delay(50);
            }

            var rssEnd = rss.Now();
            var rssPeak = rss.Stop();
            // Slow sockets the server closed: seen by a failed ping write, checked for a few more seconds.
            if (slow > 0)
            {
                await Task.Delay(3000);
            }

            var metricsAfter = await SlowConsumerClosesAsync(http);
            var line = Analyse(phaseNo, rate, seconds, connections, slow, tokens.Length, seqBase, lastSeq, posts, accepted, readers, slowOnes, postingEnded, connectSeconds);
            Console.WriteLine(line + string.Create(CultureInfo.InvariantCulture,
                $" rss_before_connect_kb={rssBefore} rss_start_kb={rssStart} rss_peak_kb={rssPeak} rss_end_kb={rssEnd} " +
                $"slow_consumer_closes_metric={(metricsAfter >= 0 && metricsBefore >= 0 ? metricsAfter - metricsBefore : -1)} " +
                $"tcp_mem_start_kb={tcpStart} tcp_mem_peak_kb={rss.TcpPeakKb} tcp_mem_end_kb={RssSampler.TcpMemKb()} slow_from={(slowFromZero ? 0 : 1)}"));
            await Console.Out.FlushAsync();
            seqBase = lastSeq;
            var p99 = ParseField(line, "e2e_p99_ms");
            var missing = ParseField(line, "missing");
            if (p99 > targetP99 || missing > 0 || double.IsNaN(p99))
            {
                await Console.Error.WriteLineAsync($"phase {phaseNo} at {rate}/s: p99 {p99} ms, missing {missing}: ladder stops");
                break;
            }

            await Task.Delay(2000);
        }

        await stop.CancelAsync();
        await pinger.ContinueWith(_ => { }, TaskScheduler.Default);
        await CloseAllAsync(readers, slowOnes);
        return 0;
    }

    private static double ParseField(string line, string name)
    {
        var key = " " + name + "=";
        var i = line.IndexOf(key, StringComparison.Ordinal);
        if (i < 0)
        {
            return double.NaN;
        }

        var rest = line[(i + key.Length)..];
        var end = rest.IndexOf(' ', StringComparison.Ordinal);
        return double.Parse(end < 0 ? rest : rest[..end], CultureInfo.InvariantCulture);
    }

    private static string Analyse(int phase, int rate, int seconds, int connections, int slow, int users, long seqBase, long lastSeq,
        Post[] posts, Dictionary<long, Post> accepted, Reader[] readers, SlowSocket[] slowOnes, long postingEnded, double connectSeconds)
    {
        long deliveries = 0, missing = 0, duplicates = 0, outOfOrder = 0, unexpected = 0, idMismatch = 0, early = 0;
        var complete = 0;
        var closedReaders = 0;
        var e2e = new List<double>(accepted.Count * connections);
        long firstSend = posts.Where(p => p.SentAt > 0).Select(p => p.SentAt).DefaultIfEmpty(0).Min();
        var lastReceive = firstSend;
        var idHashes = accepted.ToDictionary(kv => kv.Key, kv => Reader.Hash(Encoding.ASCII.GetBytes(kv.Value.Id)));
        foreach (var reader in readers)
        {
            if (reader.Closed)
            {
                closedReaders++;
            }

            var got = reader.Snapshot(seqBase);
            var seen = new HashSet<long>(got.Count);
            long previous = long.MinValue;
            var ok = true;
            foreach (var (seq, idHash, at) in got)
            {
                if (seq > lastSeq)
                {
                    continue; // belongs to the next phase (not expected here)
                }

                if (!seen.Add(seq))
                {
                    duplicates++;
                    ok = false;
                }

                if (seq < previous)
                {
                    outOfOrder++;
                    ok = false;
                }

                previous = Math.Max(previous, seq);
                if (!accepted.TryGetValue(seq, out var post))
                {
                    unexpected++;
                    ok = false;
                    continue;
                }

                if (idHashes[seq] != idHash)
                {
                    idMismatch++;
                    ok = false;
                }

                deliveries++;
                lastReceive = Math.Max(lastReceive, at);
                double latency;
                if (at < post.AcceptedAt)
                {
                    latency = -Stopwatch.GetElapsedTime(at, post.AcceptedAt).TotalMilliseconds;
                    early++;
                }
                else
                {
                    latency = Stopwatch.GetElapsedTime(post.AcceptedAt, at).TotalMilliseconds;
                }

                e2e.Add(latency);
            }

            var lost = accepted.Count - accepted.Keys.Count(seen.Contains);
            missing += lost;
            if (ok && lost == 0)
            {
                complete++;
            }
        }

        var postLatency = posts.Where(p => p.Seq > 0).Select(p => Stopwatch.GetElapsedTime(p.SentAt, p.AcceptedAt).TotalMilliseconds).ToList();
        var window = Stopwatch.GetElapsedTime(firstSend, Math.Max(lastReceive, firstSend + 1)).TotalSeconds;
        var postWindow = Stopwatch.GetElapsedTime(firstSend, postingEnded).TotalSeconds;
        var lastSent = posts.Where(p => p.SentAt > 0).Select(p => p.SentAt).DefaultIfEmpty(firstSend).Max();
        var sendSpan = Stopwatch.GetElapsedTime(firstSend, lastSent).TotalSeconds;
        var slowClosed = slowOnes.Count(s => s.ClosedAt > 0);
        var closeAfter = slowOnes.Where(s => s.ClosedAt > 0 && firstSend > 0).Select(s => Stopwatch.GetElapsedTime(firstSend, s.ClosedAt).TotalSeconds).ToList();
        var total = posts.Length;
        return string.Create(CultureInfo.InvariantCulture,
            $"FO phase={phase} connections={connections} slow={slow} users={users} rate={rate} seconds={seconds} connect_s={connectSeconds:F1} " +
            $"posted={accepted.Count} post_errors={posts.Count(p => p.Seq <= 0)} post_rate={(sendSpan > 0 ? (total - 1) / sendSpan : 0):F2} " +
            $"deliveries={deliveries} expected_deliveries={(long)accepted.Count * connections} deliveries_per_s={deliveries / window:F1} window_s={window:F3} " +
            $"complete_conns={complete} closed_readers={closedReaders} missing={missing} duplicates={duplicates} out_of_order={outOfOrder} unexpected={unexpected} id_mismatch={idMismatch} " +
            $"e2e_p50_ms={Pct(e2e, 50):F2} e2e_p90_ms={Pct(e2e, 90):F2} e2e_p99_ms={Pct(e2e, 99):F2} e2e_p999_ms={Pct(e2e, 99.9):F2} e2e_max_ms={Pct(e2e, 100):F2} early={early} " +
            $"post_p50_ms={Pct(postLatency, 50):F2} post_p99_ms={Pct(postLatency, 99):F2} post_max_ms={Pct(postLatency, 100):F2} posting_s={postWindow:F3} " +
            $"slow_closed={slowClosed} slow_close_p50_s={(closeAfter.Count > 0 ? Pct(closeAfter, 50) : double.NaN):F1} slow_close_max_s={(closeAfter.Count > 0 ? Pct(closeAfter, 100) : double.NaN):F1}");
    }

    private static double Pct(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        var rank = (int)Math.Ceiling(p / 100 * values.Count) - 1;
        return values[Math.Clamp(rank, 0, values.Count - 1)];
    }

    private static async Task<long> LastSeqAsync(HttpClient http, Guid roomId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/rooms/{roomId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("lastSeq").GetInt64();
    }

    /// <summary>Sum of lobby_realtime_connections_closed_total{reason="slow-consumer"}; -1 without /metrics.</summary>
    private static async Task<long> SlowConsumerClosesAsync(HttpClient http)
    {
        try
        {
            var text = await http.GetStringAsync("/metrics");
            long sum = 0;
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("lobby_realtime_connections_closed", StringComparison.Ordinal) && line.Contains("reason=\"slow-consumer\"", StringComparison.Ordinal))
                {
                    sum += (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                }
            }

            return sum;
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    private static async Task<Post> PostAsync(HttpClient http, string token, Guid roomId, int n, string filler)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var body = string.Create(CultureInfo.InvariantCulture, $$"""{"body":"fo {{n:D6}} sent {{sentAt}} {{filler}}"}""");
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
            await Console.Error.WriteLineAsync($"post {n}: {ex.GetType().Name} {ex.Message}");
            return new Post(0, "", sentAt, Stopwatch.GetTimestamp());
        }
    }

    private static async Task PingLoopAsync(Reader[] readers, SlowSocket[] slowOnes, CancellationToken ct)
    {
        // SignalR closes a client it has not heard from in 30 s: every connection sends a ping every few seconds.
        var tick = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(2000, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            tick++;
            foreach (var s in slowOnes)
            {
                s.Ping();
            }

            if (tick % 5 == 0)
            {
                foreach (var r in readers)
                {
                    await r.PingAsync();
                }
            }
        }
    }

    private static async Task CloseAllAsync(Reader[] readers, SlowSocket[] slowOnes)
    {
        foreach (var s in slowOnes)
        {
            s.Dispose();
        }

        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(readers.Where(r => r is not null).Select(async r =>
        {
            await gate.WaitAsync();
            try
            {
                await r.CloseAsync();
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    internal readonly record struct Post(long Seq, string Id, long SentAt, long AcceptedAt);

    /// <summary>Server RSS (VmRSS of a pid), now or the peak of a sampled interval.</summary>
    private sealed class RssSampler(int pid) : IDisposable
    {
        private long _peak;
        private long _tcpPeak;

        /// <summary>Peak kernel TCP buffer memory of the box (/proc/net/sockstat "TCP: ... mem" pages) over the sampled interval, KiB.</summary>
        public long TcpPeakKb => _tcpPeak;

        public static long TcpMemKb()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/net/sockstat"))
                {
                    if (line.StartsWith("TCP:", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        var i = Array.IndexOf(parts, "mem");
                        return i > 0 ? long.Parse(parts[i + 1], CultureInfo.InvariantCulture) * Environment.SystemPageSize / 1024 : 0;
                    }
                }
            }
            catch (IOException)
            {
            }

            return 0;
        }
        private CancellationTokenSource? _cts;

        public long Now()
        {
            if (pid <= 0)
            {
                return 0;
            }

            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        return long.Parse(line.AsSpan(6).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
            }

            return 0;
        }

        public void Start()
        {
            _peak = Now();
            _tcpPeak = TcpMemKb();
            _cts = new CancellationTokenSource();
            var ct = _cts.Token;
            _ = Task.Run(async () =>
            {
                while (!ct.IsCancellationRequested)
                {
                    _peak = Math.Max(_peak, Now());
                    _tcpPeak = Math.Max(_tcpPeak, TcpMemKb());
                    try
                    {
                        await Task.Delay(250, ct);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }, ct);
        }

        public long Stop()
        {
            _cts?.Cancel();
            _cts?.Dispose();
            _cts = null;
            return Math.Max(_peak, Now());
        }

        public void Dispose() => _cts?.Dispose();
    }

    /// <summary>A subscriber on a bare WebSocket with SignalR's JSON protocol.</summary>
    internal sealed class Reader(int capacity) : IDisposable
    {
        private static readonly byte[] MessageCreated = "\"type\":\"message.created\""u8.ToArray();
        private static readonly byte[] SeqKey = "\"seq\":"u8.ToArray();
        private static readonly byte[] DataIdKey = "\"data\":{\"id\":\""u8.ToArray();
        private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();

        private readonly ClientWebSocket _ws = new();
        private readonly List<(long Seq, long IdHash, long At)> _events = new(capacity);
        private readonly Lock _lock = new();
        private readonly SemaphoreSlim _send = new(1);
        private byte[] _buffer = new byte[8192];
        private int _length;
        private TaskCompletionSource? _subscribed;
        private Task? _loop;
        public long MaxSeq;

        public bool Closed { get; private set; }

        public string? CloseReason { get; private set; }

        public async Task ConnectAsync(Uri uri, string token, Guid roomId, long afterSeq, CancellationToken ct)
        {
            _ws.Options.SetRequestHeader("Authorization", "Bearer " + token);
            _ws.Options.KeepAliveInterval = TimeSpan.Zero;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await _ws.ConnectAsync(uri, timeout.Token);
            await _ws.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
            _subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _loop = ReceiveLoopAsync(ct);
            var invoke = string.Create(CultureInfo.InvariantCulture, $$"""{"type":1,"invocationId":"0","target":"Subscribe","arguments":["{{roomId}}",{{afterSeq}}]}""") + "\u001e";
            await _ws.SendAsync(Encoding.UTF8.GetBytes(invoke), WebSocketMessageType.Text, true, timeout.Token);
            await _subscribed.Task.WaitAsync(timeout.Token);
        }

        public async Task PingAsync()
        {
            if (Closed)
            {
                return;
            }

            await _send.WaitAsync();
            try
            {
                await _ws.SendAsync(Ping, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                Closed = true;
            }
            finally
            {
                _send.Release();
            }
        }

        public async Task CloseAsync()
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
            }

            Dispose();
        }

        public void Dispose()
        {
            _ws.Abort();
            _ws.Dispose();
            _send.Dispose();
        }

        public List<(long Seq, long IdHash, long At)> Snapshot(long afterSeq)
        {
            lock (_lock)
            {
                return [.. _events.Where(e => e.Seq > afterSeq)];
            }
        }

        public static long Hash(ReadOnlySpan<byte> bytes)
        {
            var h = 14695981039346656037UL;
            foreach (var b in bytes)
            {
                h = (h ^ b) * 1099511628211UL;
            }

            return (long)h;
        }

        private async Task ReceiveLoopAsync(CancellationToken ct)
        {
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    if (_buffer.Length - _length < 4096)
                    {
                        Array.Resize(ref _buffer, _buffer.Length * 2);
                    }

                    var result = await _ws.ReceiveAsync(_buffer.AsMemory(_length), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        CloseReason ??= "websocket close";
                        break;
                    }

                    var at = Stopwatch.GetTimestamp();
                    _length += result.Count;
                    var start = 0;
                    while (true)
                    {
                        var end = Array.IndexOf(_buffer, (byte)0x1e, start, _length - start);
                        if (end < 0)
                        {
                            break;
                        }

                        OnRecord(_buffer.AsSpan(start, end - start), at);
                        start = end + 1;
                    }

                    if (start > 0)
                    {
                        Buffer.BlockCopy(_buffer, start, _buffer, 0, _length - start);
                        _length -= start;
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            finally
            {
                Closed = true;
                _subscribed?.TrySetException(new IOException("closed before Subscribe completed: " + CloseReason));
            }
        }

        private void OnRecord(ReadOnlySpan<byte> record, long at)
        {
            var i = record.IndexOf(MessageCreated);
            if (i >= 0)
            {
                var rest = record[i..];
                var s = rest.IndexOf(SeqKey);
                if (s < 0)
                {
                    return;
                }

                var digits = rest[(s + SeqKey.Length)..];
                long seq = 0;
                var k = 0;
                while (k < digits.Length && digits[k] >= (byte)'0' && digits[k] <= (byte)'9')
                {
                    seq = (seq * 10) + (digits[k] - (byte)'0');
                    k++;
                }

                long idHash = 0;
                var d = rest.IndexOf(DataIdKey);
                if (d >= 0 && rest.Length >= d + DataIdKey.Length + 36)
                {
                    idHash = Hash(rest.Slice(d + DataIdKey.Length, 36));
                }

                lock (_lock)
                {
                    _events.Add((seq, idHash, at));
                }

                if (seq > MaxSeq)
                {
                    Volatile.Write(ref MaxSeq, seq);
                }

                return;
            }

            if (record.StartsWith("{\"type\":3"u8))
            {
                if (record.IndexOf("\"error\""u8) >= 0)
                {
                    _subscribed?.TrySetException(new IOException("Subscribe failed: " + Encoding.UTF8.GetString(record)));
                }
                else
                {
                    _subscribed?.TrySetResult();
                }
            }
            else if (record.StartsWith("{\"type\":7"u8))
            {
                CloseReason = Encoding.UTF8.GetString(record);
            }
            else if (record.IndexOf("\"error\""u8) >= 0 && record.IndexOf("\"type\":"u8) < 0)
            {
                // handshake error
                _subscribed?.TrySetException(new IOException("handshake failed: " + Encoding.UTF8.GetString(record)));
            }
        }
    }

    /// <summary>A client that subscribes and then never reads its socket again (it still sends pings).</summary>
    internal sealed class SlowSocket : IDisposable
    {
        private static readonly byte[] PingFrame = Frame("{\"type\":6}\u001e"u8);
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        public long ClosedAt;

        /// <summary>Upgrades, handshakes, subscribes; reads until Subscribe's completion, or (waitForSubscribe false) only the handshake answer.</summary>
        public async Task ConnectAsync(Uri uri, string token, Guid roomId, long afterSeq, bool waitForSubscribe)
        {
            _socket.ReceiveBufferSize = 4096; // before connect: a small window, so the server's writes back up soon
            _socket.NoDelay = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port), timeout.Token);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var upgrade = $"GET {uri.AbsolutePath} HTTP/1.1\r\nHost: {uri.Host}:{uri.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n";
            await _socket.SendAsync(Encoding.ASCII.GetBytes(upgrade), SocketFlags.None, timeout.Token);
            var buffer = new byte[65536];
            var length = 0;
            int headerEnd;
            while ((headerEnd = IndexOf(buffer.AsSpan(0, length), "\r\n\r\n"u8)) < 0)
            {
                var n = await _socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    throw new IOException("slow socket: closed during the upgrade");
                }

                length += n;
            }

            var status = Encoding.ASCII.GetString(buffer, 0, Math.Min(length, 12));
            if (!status.Contains("101", StringComparison.Ordinal))
            {
                throw new IOException("slow socket: upgrade refused: " + Encoding.ASCII.GetString(buffer, 0, length));
            }

            await _socket.SendAsync(Frame("{\"protocol\":\"json\",\"version\":1}\u001e"u8), SocketFlags.None, timeout.Token);
            var invoke = string.Create(CultureInfo.InvariantCulture, $$"""{"type":1,"invocationId":"0","target":"Subscribe","arguments":["{{roomId}}",{{afterSeq}}]}""") + "\u001e";
            await _socket.SendAsync(Frame(Encoding.UTF8.GetBytes(invoke)), SocketFlags.None, timeout.Token);
            // Read (frames are small, unmasked, unfragmented here) until Subscribe's completion; then never again.
            var seen = new StringBuilder();
            var offset = headerEnd + 4;
            while (true)
            {
                while (length - offset >= 2)
                {
                    int len = buffer[offset + 1] & 0x7f;
                    var head = 2;
                    if (len == 126)
                    {
                        if (length - offset < 4)
                        {
                            break;
                        }

                        len = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(offset + 2));
                        head = 4;
                    }
                    else if (len == 127)
                    {
                        throw new IOException("slow socket: unexpected large frame");
                    }

                    if (length - offset < head + len)
                    {
                        break;
                    }

                    seen.Append(Encoding.UTF8.GetString(buffer, offset + head, len));
                    offset += head + len;
                }

                var text = seen.ToString();
                if (!waitForSubscribe && text.StartsWith("{}\u001e", StringComparison.Ordinal))
                {
                    return; // the catch-up is on its way; never read it
                }

                if (text.Contains("{\"type\":3", StringComparison.Ordinal))
                {
                    if (text.Contains("\"error\"", StringComparison.Ordinal))
                    {
                        throw new IOException("slow socket: Subscribe failed: " + text);
                    }

                    return;
                }

                if (offset > 0)
                {
                    Buffer.BlockCopy(buffer, offset, buffer, 0, length - offset);
                    length -= offset;
                    offset = 0;
                }

                var m = await _socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token);
                if (m == 0)
                {
                    throw new IOException("slow socket: closed before Subscribe completed: " + text);
                }

                length += m;
            }
        }

        /// <summary>Keeps SignalR's client timeout from closing it; a failed write means the server closed it.</summary>
        public void Ping()
        {
            if (ClosedAt > 0)
            {
                return;
            }

            try
            {
                _socket.Send(PingFrame, SocketFlags.None);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                ClosedAt = Stopwatch.GetTimestamp();
            }
        }

        public void Dispose() => _socket.Dispose();

        private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle);

        /// <summary>A masked client text frame (payload under 64 KiB).</summary>
        private static byte[] Frame(ReadOnlySpan<byte> payload)
        {
            var head = payload.Length < 126 ? 2 : 4;
            var frame = new byte[head + 4 + payload.Length];
            frame[0] = 0x81;
            if (head == 2)
            {
                frame[1] = (byte)(0x80 | payload.Length);
            }
            else
            {
                frame[1] = 0x80 | 126;
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
            }

            var mask = RandomNumberGenerator.GetBytes(4);
            mask.CopyTo(frame, head);
            for (var i = 0; i < payload.Length; i++)
            {
                frame[head + 4 + i] = (byte)(payload[i] ^ mask[i % 4]);
            }

            return frame;
        }
    }
}
