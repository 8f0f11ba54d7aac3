using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Security;

/// <summary>Two Lobby processes and one redis-server: per-user and per-account limits hold across both, not 2×.</summary>
[Collection(SeparateProcesses.Name)]
public sealed class SharedLimitsTests : IAsyncLifetime
{
    private const int Budget = 3;
    private string _database = "";
    private LobbyProcess _a = null!;
    private LobbyProcess _b = null!;

    public async Task InitializeAsync()
    {
        var redis = Environment.GetEnvironmentVariable("LOBBY_TEST_REDIS_URL");
        if (string.IsNullOrEmpty(redis))
        {
            throw new InvalidOperationException("LOBBY_TEST_REDIS_URL is not set: run the tests with scripts/test.sh, which starts Redis");
        }

        _database = await TestDatabase.CreateMigratedAsync();
        var settings = new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redis,
            ["TRUSTED_PROXIES"] = "127.0.0.1",
            ["ROOM_CREATE_RATE_LIMIT_PER_MINUTE"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AUTH_RATE_LIMIT_PER_EMAIL_AND_IP"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MESSAGE_RATE_LIMIT_PER_MINUTE"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _a = await LobbyProcess.StartAsync(_database, settings);
        _b = await LobbyProcess.StartAsync(_database, settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await TestDatabase.DropAsync(_database);
    }

    [Fact]
    public async Task Room_creation_budget_is_shared_by_both_replicas()
    {
        var user = await AuthApi.RegisterAsync(_a.Http);
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            AuthApi.SendAsync(i % 2 == 0 ? _a.Http : _b.Http, HttpMethod.Post, "/api/v1/rooms", user.AccessToken, new { name = "room " + i, visibility = "public" }))));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.Equal(Budget, statuses.Count(s => s == 201));
        Assert.Equal(12 - Budget, statuses.Count(s => s == 429));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task The_message_limit_is_shared_by_both_replicas()
    {
        var user = await AuthApi.RegisterAsync(_a.Http);
        var room = await RoomsApi.CreateAsync(_a.Http, user);
        var statuses = new List<int>();
        for (var i = 0; i < 2 * Budget; i++)
        {
            using var response = await AuthApi.SendAsync(i % 2 == 0 ? _a.Http : _b.Http, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/messages", user.AccessToken, new { body = "m" + i });
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([201, 201, 201, 429, 429, 429], statuses);
    }

    [Fact]
    public async Task Sign_in_attempts_on_one_account_from_one_address_are_counted_across_replicas()
    {
        var email = AuthApi.NewEmail("shared");
        var statuses = new List<int>();
        for (var i = 0; i < 2 * Budget; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email, password = "wrong-guess-" + i }) };
            request.Headers.Add("X-Forwarded-For", "203.0.113.77");
            using var response = await (i % 2 == 0 ? _a.Http : _b.Http).SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([401, 401, 401, 429, 429, 429], statuses);
    }
}

/// <summary>REDIS_URL set but nothing answering there: the shared limits fall back to this process, never off and never 5xx.</summary>
[Collection(SeparateProcesses.Name)]
public sealed class RedisOutageLimitTests : IAsyncLifetime
{
    private string _database = "";
    private LobbyProcess _lobby = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        // Port 1 on loopback: nothing listens there, so every Redis call fails at once.
        _lobby = await LobbyProcess.StartAsync(_database, new Dictionary<string, string?>
        {
            ["REDIS_URL"] = "127.0.0.1:1",
            ["ROOM_CREATE_RATE_LIMIT_PER_MINUTE"] = "3",
        });
    }

    public async Task DisposeAsync()
    {
        await _lobby.DisposeAsync();
        await TestDatabase.DropAsync(_database);
    }

    [Fact]
    public async Task With_redis_unreachable_the_room_budget_still_holds_in_this_process()
    {
        var user = await AuthApi.RegisterAsync(_lobby.Http);
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await AuthApi.SendAsync(_lobby.Http, HttpMethod.Post, "/api/v1/rooms", user.AccessToken, new { name = "room " + i, visibility = "public" });
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([201, 201, 201, 429, 429], statuses);
    }
}
