using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;
using static Lobby.IntegrationTests.Realtime.LiveEvents;
using Microsoft.AspNetCore.SignalR;

namespace Lobby.IntegrationTests.Realtime;

/// <summary>
/// Two real Lobby processes over one database and one redis-server behave as one service
/// (docs/OPERATIONS.md, "Scaling out"). Each test starts its own pair: some kill a replica or Redis.
/// The session sweep is set to 300 s, so whatever reaches the other replica here did not wait for it.
/// </summary>
[Collection(SeparateProcesses.Name)]
public sealed class ScaleOutTests
{

    private static string SharedRedisUrl() =>
        Environment.GetEnvironmentVariable("LOBBY_TEST_REDIS_URL") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("LOBBY_TEST_REDIS_URL is not set: run the tests with scripts/test.sh, which starts Redis");

    [Fact]
    public async Task Posters_on_both_replicas_reach_subscribers_on_both_exactly_once_in_order_and_a_resume_on_the_other_replica_is_exact()
    {
        await using var pair = await ReplicaPair.StartAsync(SharedRedisUrl());
        var owner = await AuthApi.RegisterAsync(pair.A.Http);
        var reader = await AuthApi.RegisterAsync(pair.A.Http);
        var room = await RoomsApi.CreateAsync(pair.A.Http, owner, "public");
        await using var onA = await LiveClient.ConnectAsync(pair.A.BaseUrl, reader.AccessToken);
        await using var onB = await LiveClient.ConnectAsync(pair.B.BaseUrl, reader.AccessToken);
        var mover = await LiveClient.ConnectAsync(pair.A.BaseUrl, reader.AccessToken);
        await onA.SubscribeAsync(room.Id);
        await onB.SubscribeAsync(room.Id);
        await mover.SubscribeAsync(room.Id);

        // Four writers on each replica, as fast as they go.
        var posting = Task.WhenAll(new[] { pair.A, pair.B }.SelectMany(replica => Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await RoomsApi.PostAsync(replica.Http, owner, room.Id, $"{replica.BaseUrl} writer {w} #{i}");
            }
        }))));

        var moved = await CollectUntilAsync(mover, room.Id, 120);
        await mover.DisposeAsync();
        await using var resumed = await LiveClient.ConnectAsync(pair.B.BaseUrl, reader.AccessToken);
        await resumed.SubscribeAsync(room.Id, moved[^1]);
        moved.AddRange(await CollectUntilAsync(resumed, room.Id, 400));
        await posting;

        var all = Enumerable.Range(1, 400).Select(i => (long)i).ToList();
        Assert.Equal(all, await CollectUntilAsync(onA, room.Id, 400));
        Assert.Equal(all, await CollectUntilAsync(onB, room.Id, 400));
        Assert.Equal(all, moved);
    }

    [Fact]
    public async Task Presence_is_the_same_from_both_replicas_and_a_killed_replicas_users_drop_out_within_the_ttl()
    {
        await using var pair = await ReplicaPair.StartAsync(SharedRedisUrl(), new() { ["REALTIME_PRESENCE_TTL_SECONDS"] = "6" });
        var owner = await AuthApi.RegisterAsync(pair.A.Http);
        var other = await AuthApi.RegisterAsync(pair.A.Http);
        var room = await RoomsApi.CreateAsync(pair.A.Http, owner, "public");
        await using var onA = await LiveClient.ConnectAsync(pair.A.BaseUrl, owner.AccessToken);
        await using var onB = await LiveClient.ConnectAsync(pair.B.BaseUrl, other.AccessToken);
        await onA.SubscribeAsync(room.Id);
        await onB.SubscribeAsync(room.Id);

        Guid[] both = [.. new[] { owner.User.Id, other.User.Id }.Order()];
        await onA.NextAsync(e => Type(e) == "presence" && Online(e).SequenceEqual(both));
        await onB.NextAsync(e => Type(e) == "presence" && Online(e).SequenceEqual(both));

        await pair.B.CrashAsync();
        var started = Stopwatch.StartNew();
        await onA.NextAsync(e => Type(e) == "presence" && Online(e).SequenceEqual([owner.User.Id]), TimeSpan.FromSeconds(30));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed} with a 6 s TTL");
    }

    [Fact]
    public async Task The_per_user_connection_cap_holds_across_both_replicas()
    {
        await using var pair = await ReplicaPair.StartAsync(SharedRedisUrl(), new() { ["REALTIME_MAX_CONNECTIONS_PER_USER"] = "3" });
        var user = await AuthApi.RegisterAsync(pair.A.Http);
        await using var one = await LiveClient.ConnectAsync(pair.A.BaseUrl, user.AccessToken);
        await using var two = await LiveClient.ConnectAsync(pair.B.BaseUrl, user.AccessToken);
        await using var three = await LiveClient.ConnectAsync(pair.A.BaseUrl, user.AccessToken);
        foreach (var admitted in new[] { one, two, three })
        {
            // An answered call means the server finished admitting the connection (OnConnectedAsync).
            await admitted.UnsubscribeAsync(Guid.NewGuid());
        }

        // The fourth, on either replica, is refused: 3 in all, not 3 each.
        var refused = await Record.ExceptionAsync(async () =>
        {
            await using var fourth = await LiveClient.ConnectAsync(pair.B.BaseUrl, user.AccessToken);
            await fourth.UnsubscribeAsync(Guid.NewGuid());
        });
        Assert.NotNull(refused);
        // Once one closes (its server notices a moment later), a new one is admitted again.
        await two.DisposeAsync();
        var room = await RoomsApi.CreateAsync(pair.A.Http, user);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var again = await LiveClient.ConnectAsync(pair.B.BaseUrl, user.AccessToken);
            try
            {
                await again.SubscribeAsync(room.Id);
                await again.DisposeAsync();
                break;
            }
            catch (Exception) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await again.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_per_address_sign_in_limit_holds_across_both_replicas()
    {
        await using var pair = await ReplicaPair.StartAsync(SharedRedisUrl(), new() { ["AUTH_RATE_LIMIT_PER_IP"] = "4", ["TRUSTED_PROXIES"] = "127.0.0.1" });
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            // A different account each time: only the address is the same.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
            {
                Content = JsonContent.Create(new { email = AuthApi.NewEmail("guess"), password = "wrong-guess-" + i }),
            };
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            using var response = await (i % 2 == 0 ? pair.A.Http : pair.B.Http).SendAsync(request);
            statuses.Add((int)response.StatusCode);
            if ((int)response.StatusCode == 429)
            {
                Assert.True(response.Headers.RetryAfter is not null, "429 without Retry-After");
            }
        }

        Assert.Equal([401, 401, 401, 401, 429, 429], statuses);
    }

    [Theory]
    [InlineData("logout")]
    [InlineData("password change")]
    [InlineData("disabled by an admin")]
    public async Task Ending_a_session_on_one_replica_refuses_its_token_on_the_other_within_a_second_and_closes_its_connection(string how)
    {
        await using var pair = await ReplicaPair.StartAsync(SharedRedisUrl());
        var user = await AuthApi.RegisterAsync(pair.A.Http);
        // A second sign-in, used on replica B: a password change ends the other sessions, not its own.
        var victim = await AuthApi.LoginAsync(pair.A.Http, user.User.Email);
        using (var warm = await AuthApi.GetAsync(pair.B.Http, "/api/v1/users/me", victim.AccessToken))
        {
            Assert.Equal(200, (int)warm.StatusCode); // B has the valid session cached (SESSION_CHECK_CACHE_SECONDS = 10)
        }

        await using var live = await LiveClient.ConnectAsync(pair.B.BaseUrl, victim.AccessToken);
        using var ended = how switch
        {
            "logout" => await AuthApi.SendAsync(pair.A.Http, HttpMethod.Post, "/api/v1/auth/logout", victim.AccessToken),
            "password change" => await AuthApi.SendAsync(pair.A.Http, HttpMethod.Post, "/api/v1/users/me/password", user.AccessToken,
                new { currentPassword = AuthApi.Password, newPassword = "another long passphrase 42" }),
            _ => await DisableAsync(pair, user),
        };
        Assert.True(ended.IsSuccessStatusCode, await ended.Content.ReadAsStringAsync());
        var started = Stopwatch.StartNew();

        while (true)
        {
            using var me = await AuthApi.GetAsync(pair.B.Http, "/api/v1/users/me", victim.AccessToken);
            if ((int)me.StatusCode == 401)
            {
                break;
            }

            Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"the token still worked on the other replica after {started.Elapsed}");
        }

        var closed = await Task.WhenAny(live.Closed, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(live.Closed, closed);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"the live connection on the other replica closed after {started.Elapsed}");
    }

    [Fact]
    public async Task A_member_removed_through_one_replica_gets_nothing_more_on_a_connection_to_the_other()
    {
        await using var pair = await ReplicaPair.StartAsync(SharedRedisUrl());
        var owner = await AuthApi.RegisterAsync(pair.A.Http);
        var member = await AuthApi.RegisterAsync(pair.A.Http);
        var secret = await RoomsApi.CreateAsync(pair.A.Http, owner, "private");
        var marker = await RoomsApi.CreateAsync(pair.A.Http, owner, "public");
        await RoomsApi.AddMemberAsync(pair.A.Http, owner, secret.Id, member.User.Id);
        await using var onB = await LiveClient.ConnectAsync(pair.B.BaseUrl, member.AccessToken);
        await onB.SubscribeAsync(secret.Id);
        await onB.SubscribeAsync(marker.Id);

        using var remove = await AuthApi.SendAsync(pair.A.Http, HttpMethod.Delete, $"/api/v1/rooms/{secret.Id}/members/{member.User.Id}", owner.AccessToken);
        Assert.Equal(204, (int)remove.StatusCode);
        for (var i = 0; i < 10; i++)
        {
            await RoomsApi.PostAsync(pair.A.Http, owner, secret.Id, $"after removal {i}");
        }

        await RoomsApi.PostAsync(pair.A.Http, owner, marker.Id, "marker");
        var events = new List<JsonElement>();
        await onB.NextAsync(e =>
        {
            events.Add(e);
            return CreatedIn(e, marker.Id);
        });
        Assert.Contains(events, e => Type(e) == "member.left");
        Assert.DoesNotContain(events, e => CreatedIn(e, secret.Id));
    }

    [Fact]
    public async Task With_redis_down_posts_keep_their_latency_readiness_names_the_backplane_and_every_subscriber_gets_every_message_once_it_is_back()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var pair = await ReplicaPair.StartAsync(redis.Url);
        var owner = await AuthApi.RegisterAsync(pair.A.Http);
        var room = await RoomsApi.CreateAsync(pair.A.Http, owner, "public");
        await using var onB = await LiveClient.ConnectAsync(pair.B.BaseUrl, owner.AccessToken);
        await onB.SubscribeAsync(room.Id);
        var before = await PostLatenciesAsync(pair.A.Http, owner, room.Id, 10);
        Assert.Equal(10, Seq(await onB.NextAsync(e => CreatedIn(e, room.Id) && Seq(e) == 10)));

        await redis.StopAsync();
        var down = Stopwatch.StartNew();
        await UntilReadinessAsync(pair.A, "failing");
        var during = await PostLatenciesAsync(pair.A.Http, owner, room.Id, 10);
        Assert.True(Median(during) < TimeSpan.FromMilliseconds(500), $"median post latency with Redis down: {Median(during)} (before: {Median(before)})");
        Assert.True(during.Max() < TimeSpan.FromSeconds(2), $"slowest post with Redis down: {during.Max()}");
        while (down.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(250); // the outage lasts 10 s, as an operator would see one
        }

        await redis.StartAgainAsync();
        await UntilReadinessAsync(pair.A, "ok");

        var seqs = new List<long>();
        while (seqs.Count == 0 || seqs[^1] < 20)
        {
            seqs.Add(Seq(await onB.NextAsync(e => CreatedIn(e, room.Id), TimeSpan.FromSeconds(30))));
        }

        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), seqs);
    }

    private static async Task<HttpResponseMessage> DisableAsync(ReplicaPair pair, TestAuth user)
    {
        var admin = await AuthApi.RegisterAsync(pair.A.Http, AuthApi.NewEmail("admin"));
        var role = await LobbyBinary.RunAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = pair.Database }, "users", "set-role", admin.User.Email, "ADMIN");
        Assert.True(role.ExitCode == 0, role.StdErr);
        var signedIn = await AuthApi.LoginAsync(pair.A.Http, admin.User.Email);
        return await AuthApi.SendAsync(pair.A.Http, HttpMethod.Patch, $"/api/v1/admin/users/{user.User.Id}", signedIn.AccessToken, new { disabled = true });
    }

    private static async Task UntilReadinessAsync(LobbyProcess lobby, string backplane)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            using var ready = await lobby.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
            var status = body.GetProperty("checks").GetProperty("backplane").GetProperty("status").GetString();
            if (status == backplane)
            {
                Assert.Equal(200, (int)ready.StatusCode); // degraded, not drained: the default choice
                return;
            }

            Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"readiness still says backplane {status}");
            await Task.Delay(100);
        }
    }

    private static Guid[] Online(JsonElement e) => [.. e.GetProperty("data").GetProperty("userIds").EnumerateArray().Select(x => x.GetGuid())];

    /// <summary>Two Lobby processes on one fresh database and the given Redis.</summary>
    private sealed class ReplicaPair : IAsyncDisposable
    {
        private ReplicaPair(string database, LobbyProcess a, LobbyProcess b)
        {
            Database = database;
            A = a;
            B = b;
        }

        public string Database { get; }
        public LobbyProcess A { get; }
        public LobbyProcess B { get; }

        public static async Task<ReplicaPair> StartAsync(string redisUrl, Dictionary<string, string?>? extra = null)
        {
            var database = await TestDatabase.CreateMigratedAsync();
            var settings = new Dictionary<string, string?> { ["REDIS_URL"] = redisUrl, ["REALTIME_SWEEP_SECONDS"] = "300" };
            foreach (var (key, value) in extra ?? [])
            {
                settings[key] = value;
            }

            var a = await LobbyProcess.StartAsync(database, settings);
            var b = await LobbyProcess.StartAsync(database, settings);
            return new ReplicaPair(database, a, b);
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await TestDatabase.DropAsync(Database);
        }
    }
}
