using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Security;

/// <summary>Lobby with small per-user write budgets, so a test can exhaust one.</summary>
public sealed class TightWriteLimitsFactory : LobbyFactory
{
    public const int Budget = 3;

    protected override IReadOnlyDictionary<string, string?> Settings => LobbyProcess.PerUserLimits.ToDictionary(l => l, _ => (string?)Budget.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Every write a user can repeat has a per-user budget; beyond it 429 with Retry-After.</summary>
public sealed class WriteRateLimitTests(TightWriteLimitsFactory factory) : IClassFixture<TightWriteLimitsFactory>
{
    private const int Budget = TightWriteLimitsFactory.Budget;
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Concurrent_room_creation_beyond_the_budget_gets_429_and_others_are_not_affected()
    {
        var spammer = await AuthApi.RegisterAsync(_client);
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/rooms", spammer.AccessToken, new { name = "spam " + i, visibility = "public" }))));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.Equal(Budget, statuses.Count(s => s == 201));
        Assert.Equal(20 - Budget, statuses.Count(s => s == 429));
        foreach (var limited in responses.Where(r => (int)r.StatusCode == 429))
        {
            await Problems.AssertProblemAsync(limited, 429);
            Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }

        // Someone else still creates rooms: the budget is per user.
        var other = await AuthApi.RegisterAsync(_client);
        await RoomsApi.CreateAsync(_client, other);
    }

    public static TheoryData<string> Actions => ["join and leave", "add and remove member", "edit room", "edit message", "delete message", "change display name", "list sessions", "end session"];

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Repeating_a_write_beyond_its_budget_gets_429_with_retry_after(string action)
    {
        var user = await AuthApi.RegisterAsync(_client);
        var owner = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, user, "public");
        var others = await RoomsApi.CreateAsync(_client, owner, "public");
        var friend = await AuthApi.RegisterAsync(_client);
        await using var attempt = new Attempt(_client, user, room, others, friend);

        // Each action spends its own budget: Budget attempts pass, the next is refused.
        for (var i = 0; i < Budget; i++)
        {
            var status = await attempt.RunAsync(action);
            Assert.True(status is >= 200 and < 300, $"{action} #{i + 1}: {status}");
        }

        using var refused = await attempt.SendAsync(action);
        await Problems.AssertProblemAsync(refused, 429);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    /// <summary>One attempt of each action, with what it needs prepared outside the budget being tested.</summary>
    private sealed class Attempt(HttpClient client, TestAuth user, TestRoom room, TestRoom others, TestAuth friend) : IAsyncDisposable
    {
        private int _n;

        public async Task<int> RunAsync(string action)
        {
            using var response = await SendAsync(action);
            return (int)response.StatusCode;
        }

        public async Task<HttpResponseMessage> SendAsync(string action)
        {
            var n = _n++;
            switch (action)
            {
                case "join and leave":
                    // Joins and leaves share one budget: join on even attempts, leave on odd ones.
                    return n % 2 == 0
                        ? await AuthApi.SendAsync(client, HttpMethod.Post, $"/api/v1/rooms/{others.Id}/join", user.AccessToken)
                        : await AuthApi.SendAsync(client, HttpMethod.Delete, $"/api/v1/rooms/{others.Id}/members/{user.User.Id}", user.AccessToken);
                case "add and remove member":
                    return n % 2 == 0
                        ? await AuthApi.SendAsync(client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/members", user.AccessToken, new { userId = friend.User.Id })
                        : await AuthApi.SendAsync(client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/members/{friend.User.Id}", user.AccessToken);
                case "edit room":
                    return await AuthApi.SendAsync(client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}", user.AccessToken, new { topic = "topic " + n });
                case "edit message":
                    var toEdit = await RoomsApi.PostAsync(client, user, room.Id);
                    return await AuthApi.SendAsync(client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}/messages/{toEdit.Id}", user.AccessToken, new { body = "edited " + n });
                case "delete message":
                    var toDelete = await RoomsApi.PostAsync(client, user, room.Id);
                    return await AuthApi.SendAsync(client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/messages/{toDelete.Id}", user.AccessToken);
                case "change display name":
                    return await AuthApi.SendAsync(client, HttpMethod.Patch, "/api/v1/users/me", user.AccessToken, new { displayName = "Name " + n });
                case "list sessions":
                    return await AuthApi.GetAsync(client, "/api/v1/auth/sessions", user.AccessToken);
                case "end session":
                    var other = await AuthApi.LoginAsync(client, user.User.Email);
                    var id = SessionIdOf(other.AccessToken);
                    return await AuthApi.SendAsync(client, HttpMethod.Delete, $"/api/v1/auth/sessions/{id}", user.AccessToken);
                default:
                    throw new ArgumentOutOfRangeException(nameof(action), action, null);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static string SessionIdOf(string accessToken)
        {
            var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(accessToken.Split('.')[1]);
            return JsonDocument.Parse(payload).RootElement.GetProperty("sid").GetString()!;
        }
    }
}
