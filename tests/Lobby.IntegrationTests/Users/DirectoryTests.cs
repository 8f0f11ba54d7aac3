using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Users;

/// <summary>Lobby with a small directory budget, so the limit is reached in a few look-ups.</summary>
public sealed class DirectoryFactory : LobbyFactory
{
    public const int Budget = 8;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["DIRECTORY_RATE_LIMIT_PER_MINUTE"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class DirectoryTests(DirectoryFactory factory) : IClassFixture<DirectoryFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task An_exact_email_finds_one_person_however_it_is_spelled_and_never_shows_the_email()
    {
        var email = AuthApi.NewEmail("Directory");
        var wanted = await AuthApi.RegisterAsync(_client, email, displayName: "Wanted Person");
        var seeker = await AuthApi.RegisterAsync(_client);

        foreach (var spelling in new[] { email, email.ToUpperInvariant(), "  " + email + " " })
        {
            using var response = await AuthApi.GetAsync(_client, "/api/v1/users?email=" + Uri.EscapeDataString(spelling), seeker.AccessToken);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, spelling + ": " + text);
            var page = await RoomsApi.ReadAsync<TestPage<TestUserSummary>>(response, 200);

            Assert.Equal([new TestUserSummary(wanted.User.Id, "Wanted Person")], page.Items);
            Assert.DoesNotContain("@", text, StringComparison.Ordinal);
        }

        // Exact means exact: a near miss finds nobody (and says nothing about who exists).
        using var nearMiss = await AuthApi.GetAsync(_client, "/api/v1/users?email=" + Uri.EscapeDataString(email.Replace("@", "x@", StringComparison.Ordinal)), seeker.AccessToken);
        Assert.Empty((await RoomsApi.ReadAsync<TestPage<TestUserSummary>>(nearMiss, 200)).Items);
    }

    [Fact]
    public async Task A_name_prefix_finds_only_people_who_share_a_room_with_me()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var me = await AuthApi.RegisterAsync(_client, displayName: "Zed " + tag);
        var friend = await AuthApi.RegisterAsync(_client, displayName: tag + " Friend");
        var stranger = await AuthApi.RegisterAsync(_client, displayName: tag + " Stranger");
        var room = await RoomsApi.CreateAsync(_client, me, "private");
        await RoomsApi.AddMemberAsync(_client, me, room.Id, friend.User.Id);
        _ = stranger;

        using var response = await AuthApi.GetAsync(_client, "/api/v1/users?prefix=" + tag.ToUpperInvariant(), me.AccessToken);
        var text = await response.Content.ReadAsStringAsync();
        var page = await RoomsApi.ReadAsync<TestPage<TestUserSummary>>(response, 200);

        Assert.Equal([new TestUserSummary(friend.User.Id, tag + " Friend")], page.Items);
        Assert.DoesNotContain("@", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?prefix=")]
    [InlineData("?prefix=%20%20")]
    [InlineData("?email=not-an-email")]
    [InlineData("?email=a%40example.com&prefix=a")]
    [InlineData("?prefix=a%00b")]
    public async Task Bad_look_ups_are_400(string query)
    {
        var seeker = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.GetAsync(_client, "/api/v1/users" + query, seeker.AccessToken);
        await Problems.AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task Look_ups_beyond_the_budget_are_429_for_that_user_only()
    {
        var scraper = await AuthApi.RegisterAsync(_client);
        for (var i = 0; i < DirectoryFactory.Budget; i++)
        {
            using var ok = await AuthApi.GetAsync(_client, $"/api/v1/users?email=guess{i}%40example.com", scraper.AccessToken);
            Assert.Equal(200, (int)ok.StatusCode);
        }

        using var refused = await AuthApi.GetAsync(_client, "/api/v1/users?prefix=a", scraper.AccessToken);
        await Problems.AssertProblemAsync(refused, 429);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        var other = await AuthApi.RegisterAsync(_client);
        using var fine = await AuthApi.GetAsync(_client, "/api/v1/users?prefix=a", other.AccessToken);
        Assert.Equal(200, (int)fine.StatusCode);
    }

    [Fact]
    public async Task The_directory_needs_a_signed_in_user()
    {
        using var response = await _client.GetAsync("/api/v1/users?email=a%40example.com");
        Assert.Equal(401, (int)response.StatusCode);
    }
}
