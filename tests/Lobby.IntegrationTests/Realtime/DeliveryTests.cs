using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lobby.IntegrationTests.Infrastructure;
using static Lobby.IntegrationTests.Realtime.LiveEvents;
using Microsoft.AspNetCore.SignalR;

namespace Lobby.IntegrationTests.Realtime;

/// <summary>
/// One Lobby process whose session sweep practically never runs (so whatever closes or stops
/// delivery here did not wait for it), with a short send timeout and metrics on.
/// </summary>
public sealed class DeliveryLobby : IAsyncLifetime
{
    private string _database = "";

    internal LobbyProcess Lobby { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        Lobby = await LobbyProcess.StartAsync(_database, new Dictionary<string, string?>
        {
            ["REALTIME_SWEEP_SECONDS"] = "300",
            ["REALTIME_SEND_TIMEOUT_SECONDS"] = "2",
            ["METRICS_ENABLED"] = "true",
        });
    }

    public async Task DisposeAsync()
    {
        await Lobby.DisposeAsync();
        await TestDatabase.DropAsync(_database);
    }
}

/// <summary>The delivery pipeline against hostile and unlucky clients (docs/REALTIME.md, "Guarantees").</summary>
[Collection(SeparateProcesses.Name)]
public sealed partial class DeliveryTests(DeliveryLobby live) : IClassFixture<DeliveryLobby>
{
    private HttpClient Http => live.Lobby.Http;

    [Fact]
    public async Task Clients_that_never_read_do_not_slow_posting_and_are_closed_as_slow_consumers()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var lurker = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, owner, "public");
        // A long history: megabytes of catch-up, far more than socket buffers hold.
        var body = new string('x', 3000);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                await RoomsApi.PostAsync(Http, owner, room.Id, body);
            }
        })));
        var closedBefore = await SlowConsumerClosesAsync();

        var without = await PostLatenciesAsync(Http, owner, room.Id, 30);
        await using var first = await StalledClient.ConnectAsync(live.Lobby.BaseUrl, lurker.AccessToken);
        await using var second = await StalledClient.ConnectAsync(live.Lobby.BaseUrl, lurker.AccessToken);
        await first.SubscribeAsync(room.Id, 0);
        await second.SubscribeAsync(room.Id, 0);
        var with = await PostLatenciesAsync(Http, owner, room.Id, 30);

        Assert.True(Median(with) < TimeSpan.FromMilliseconds(500), $"median post latency with stalled subscribers: {Median(with)} (without: {Median(without)})");
        Assert.True(with.Max() < TimeSpan.FromSeconds(10), $"slowest post with stalled subscribers: {with.Max()}");

        // Both are closed for it, with the resumable reason, by the server, not by a sweep.
        var deadline = Stopwatch.StartNew();
        while (await SlowConsumerClosesAsync() < closedBefore + 2 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200); // polling a counter with a deadline, not waiting for a guess
        }

        Assert.Equal(closedBefore + 2, await SlowConsumerClosesAsync());
        Assert.True(await first.EndsWithinAsync(TimeSpan.FromSeconds(30)));
        Assert.True(await second.EndsWithinAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_room_turned_private_stops_delivery_to_a_non_member_at_the_change()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var member = await AuthApi.RegisterAsync(Http);
        var stranger = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, owner, "public");
        var marker = await RoomsApi.CreateAsync(Http, owner, "public");
        await RoomsApi.AddMemberAsync(Http, owner, room.Id, member.User.Id);
        await using var memberLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, member.AccessToken);
        await using var strangerLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, stranger.AccessToken);
        await memberLive.SubscribeAsync(room.Id);
        await strangerLive.SubscribeAsync(room.Id);
        await strangerLive.SubscribeAsync(marker.Id);
        await RoomsApi.PostAsync(Http, owner, room.Id, "still public");
        await strangerLive.NextAsync(e => CreatedIn(e, room.Id));

        using var change = await AuthApi.SendAsync(Http, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}", owner.AccessToken, new { visibility = "private" });
        Assert.Equal(200, (int)change.StatusCode);
        await RoomsApi.PostAsync(Http, owner, room.Id, "members only now");
        await RoomsApi.PostAsync(Http, owner, marker.Id, "marker");

        // The marker was posted last: everything before it on this connection has arrived by then.
        var after = await UntilAsync(strangerLive, e => CreatedIn(e, marker.Id));
        var ended = Assert.Single(after, e => Type(e) == "subscription.ended");
        Assert.Equal(room.Id, ended.GetProperty("roomId").GetGuid());
        Assert.DoesNotContain(after, e => e.GetProperty("roomId").GetGuid() == room.Id && Type(e) is "message.created" or "room.updated");
        var seen = await memberLive.NextAsync(e => CreatedIn(e, room.Id) && Seq(e) == 2);
        Assert.Equal("members only now", seen.GetProperty("data").GetProperty("body").GetString());
        await Assert.ThrowsAsync<HubException>(() => strangerLive.SubscribeAsync(room.Id));
    }

    [Fact]
    public async Task Subscribing_from_zero_while_200_messages_are_posted_yields_each_seq_once_in_order()
    {
        var (room, posting, reader) = await RoomUnderFireAsync();
        await using var client = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, reader.AccessToken);
        await client.SubscribeAsync(room, 0);

        var seqs = await CollectUntilAsync(client, room, 200);
        await posting;
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task A_forced_disconnect_and_resume_mid_stream_leaves_no_gap_and_no_duplicate()
    {
        var (room, posting, reader) = await RoomUnderFireAsync();
        var seqs = new List<long>();
        await using (var before = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, reader.AccessToken))
        {
            await before.SubscribeAsync(room, 0);
            seqs.AddRange(await CollectUntilAsync(before, room, 60));
        }

        // What the first connection got before it died but we did not count is simply sent again
        // after our last seq: the client resumes from what it has.
        await using var after = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, reader.AccessToken);
        await after.SubscribeAsync(room, seqs[^1]);
        seqs.AddRange(await CollectUntilAsync(after, room, 200));
        await posting;
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task Typing_from_a_non_member_reaches_nobody()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var stranger = await AuthApi.RegisterAsync(Http);
        var member = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, owner, "public");
        await RoomsApi.AddMemberAsync(Http, owner, room.Id, member.User.Id);
        await using var ownerLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, owner.AccessToken);
        await using var strangerLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, stranger.AccessToken);
        await using var memberLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, member.AccessToken);
        await ownerLive.SubscribeAsync(room.Id);
        await strangerLive.SubscribeAsync(room.Id);
        await memberLive.SubscribeAsync(room.Id);

        var refused = await Assert.ThrowsAsync<HubException>(() => strangerLive.TypingAsync(room.Id));
        Assert.Contains("Only members", refused.Message, StringComparison.Ordinal);
        await memberLive.TypingAsync(room.Id);

        // Events arrive in order: the first typing event the owner sees is the member's.
        var typing = await ownerLive.NextAsync("typing");
        Assert.Equal(member.User.Id, typing.GetProperty("data").GetProperty("userId").GetGuid());
    }

    [Fact]
    public async Task Four_hundred_subscribe_toggles_produce_a_bounded_number_of_presence_events()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var toggler = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, owner, "public");
        await using var watcher = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, owner.AccessToken);
        await watcher.SubscribeAsync(room.Id);
        await watcher.NextAsync(e => Type(e) == "presence");
        var noisy = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, toggler.AccessToken);
        for (var i = 0; i < 400; i++)
        {
            await noisy.SubscribeAsync(room.Id);
            await noisy.UnsubscribeAsync(room.Id);
        }

        // Stays, then goes: the watcher's presence ends with two users, then with the watcher alone.
        await noisy.SubscribeAsync(room.Id);
        var events = await UntilAsync(watcher, e => Type(e) == "presence" && e.GetProperty("data").GetProperty("userIds").GetArrayLength() == 2);
        await noisy.DisposeAsync();
        events.AddRange(await UntilAsync(watcher, e => Type(e) == "presence" && e.GetProperty("data").GetProperty("userIds").GetArrayLength() == 1));

        events.RemoveAll(e => Type(e) != "presence");
        Assert.InRange(events.Count, 2, 50);
    }

    [Fact]
    public async Task Logging_out_closes_the_live_connection_at_once_not_at_the_sweep()
    {
        var user = await AuthApi.RegisterAsync(Http);
        await using var client = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, user.AccessToken);

        using var logout = await AuthApi.SendAsync(Http, HttpMethod.Post, "/api/v1/auth/logout", user.AccessToken);
        Assert.Equal(204, (int)logout.StatusCode);

        // The sweep runs every 300 s here.
        var finished = await Task.WhenAny(client.Closed, Task.Delay(TimeSpan.FromSeconds(15)));
        Assert.Same(client.Closed, finished);
        Assert.Contains("session-ended", (await client.Closed)?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_that_end_without_lobby_closing_them_are_counted_by_cause()
    {
        var user = await AuthApi.RegisterAsync(Http);
        var before = await CounterAsync(EndedByClient());
        var closedBefore = await SlowConsumerClosesAsync();
        var client = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, user.AccessToken);
        await client.Connection.StopAsync();
        await client.DisposeAsync();

        var deadline = Stopwatch.StartNew();
        while (await CounterAsync(EndedByClient()) == before && deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100); // polling a counter with a deadline
        }

        Assert.Equal(before + 1, await CounterAsync(EndedByClient()));
        Assert.Equal(closedBefore, await SlowConsumerClosesAsync());
    }

    [Fact]
    public async Task Deleting_a_room_tells_its_followers_and_ends_their_subscription()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, owner, "public");
        var other = await RoomsApi.CreateAsync(Http, owner, "public");
        await using var client = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, owner.AccessToken);
        await client.SubscribeAsync(room.Id);
        await client.SubscribeAsync(other.Id);

        using var delete = await AuthApi.SendAsync(Http, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}", owner.AccessToken);
        Assert.Equal(204, (int)delete.StatusCode);
        var deleted = await client.NextAsync("room.deleted");
        Assert.Equal(room.Id, deleted.GetProperty("roomId").GetGuid());
        // Still live elsewhere on the same connection.
        await RoomsApi.PostAsync(Http, owner, other.Id, "elsewhere");
        await client.NextAsync(e => CreatedIn(e, other.Id));
    }

    [Fact]
    public async Task Sigterm_sends_every_client_the_restart_hint_and_a_clean_close()
    {
        var database = await TestDatabase.CreateMigratedAsync();
        try
        {
            var lobby = await LobbyProcess.StartAsync(database);
            await using var _ = lobby;
            var user = await AuthApi.RegisterAsync(lobby.Http);
            var room = await RoomsApi.CreateAsync(lobby.Http, user);
            await using var client = await LiveClient.ConnectAsync(lobby.BaseUrl, user.AccessToken);
            await client.SubscribeAsync(room.Id);

            Assert.Equal(0, await lobby.TerminateAsync(TimeSpan.FromSeconds(30)));

            await client.NextAsync("server.restarting");
            // SignalR's close message with the reason, not a dropped socket (a WebSocketException, 1006).
            var closed = await client.Closed.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.IsType<HubException>(closed);
            Assert.Contains("server-restarting", closed.Message, StringComparison.Ordinal);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    private async Task<(Guid Room, Task Posting, TestAuth Reader)> RoomUnderFireAsync()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var reader = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, owner, "public");
        var started = new TaskCompletionSource();
        var posting = Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await RoomsApi.PostAsync(Http, owner, room.Id, $"writer {w} message {i}");
                if (i == 5)
                {
                    started.TrySetResult();
                }
            }
        })));
        await started.Task; // subscribe while the room is busy, not before or after
        return (room.Id, posting, reader);
    }

    private Task<long> SlowConsumerClosesAsync() => CounterAsync(ClosedCounter());

    private async Task<long> CounterAsync(Regex counter)
    {
        var text = await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var match = counter.Match(text);
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex("""lobby_realtime_connections_ended_total\{[^}]*cause="client"[^}]*\} (\d+)""")]
    private static partial Regex EndedByClient();

    [GeneratedRegex("""lobby_realtime_connections_closed_total\{[^}]*reason="slow-consumer"[^}]*\} (\d+)""")]
    private static partial Regex ClosedCounter();
}
