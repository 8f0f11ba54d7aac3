using System.Net.Http.Json;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Users;

public sealed class AdminUserTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/api/v1/admin/users" },
        { "PATCH", $"/api/v1/admin/users/{Guid.NewGuid()}" },
        { "GET", "/api/v1/admin/audit" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Admin_routes_are_401_anonymous_and_403_for_users_and_moderators(string method, string path)
    {
        var user = await AuthApi.RegisterAsync(_client);
        var moderator = await Admins.CreateAsync(factory, _client, "MODERATOR");
        object? body = method == "PATCH" ? new { role = "ADMIN" } : null;

        using var anonymous = await AuthApi.SendAsync(_client, new HttpMethod(method), path, null, body);
        using var asUser = await AuthApi.SendAsync(_client, new HttpMethod(method), path, user.AccessToken, body);
        using var asModerator = await AuthApi.SendAsync(_client, new HttpMethod(method), path, moderator.AccessToken, body);

        await Problems.AssertProblemAsync(anonymous, 401);
        await Problems.AssertProblemAsync(asUser, 403);
        await Problems.AssertProblemAsync(asModerator, 403);
    }

    [Fact]
    public async Task Search_matches_email_or_name_prefix_case_insensitively()
    {
        var admin = await Admins.CreateAsync(factory, _client);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var byEmail = await AuthApi.RegisterAsync(_client, $"zed{tag}@example.com", displayName: "Someone");
        var byName = await AuthApi.RegisterAsync(_client, displayName: $"Zed{tag} Name");
        await AuthApi.RegisterAsync(_client, $"other{tag}@example.com", displayName: $"Not zed{tag}");

        var page = await SearchAsync(admin, $"?query=ZED{tag}");

        Assert.Equal(new[] { byName.User.Id, byEmail.User.Id }.Order(), page.Items.Select(i => i.Id).Order());
        Assert.Null(page.NextCursor);
        Assert.All(page.Items, i => Assert.False(i.Disabled));
    }

    [Fact]
    public async Task Like_wildcards_in_the_query_match_literally()
    {
        var admin = await Admins.CreateAsync(factory, _client);
        var page = await SearchAsync(admin, "?query=%25");
        Assert.Empty(page.Items);
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("ab%00cd")]
    [InlineData("%01")]
    public async Task A_query_with_a_nul_or_control_character_is_400_naming_it(string query)
    {
        var admin = await Admins.CreateAsync(factory, _client);
        using var response = await AuthApi.GetAsync(_client, "/api/v1/admin/users?query=" + query, admin.AccessToken);

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("query", out _), problem.ToString());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=-1", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?limit=1.5", "limit")]
    [InlineData("?cursor=garbage", "cursor")]
    [InlineData("?cursor=AAAAAAAAAAAAAAAAAAAAA%21", "cursor")]
    public async Task Bad_paging_values_are_400_naming_them(string queryString, string field)
    {
        var admin = await Admins.CreateAsync(factory, _client);
        foreach (var path in new[] { "/api/v1/admin/users", "/api/v1/admin/audit" })
        {
            using var response = await AuthApi.GetAsync(_client, path + queryString, admin.AccessToken);
            var problem = await Problems.AssertProblemAsync(response, 400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }
    }

    [Fact]
    public async Task Limits_of_1_and_100_are_accepted()
    {
        var admin = await Admins.CreateAsync(factory, _client);
        Assert.Single((await SearchAsync(admin, "?limit=1")).Items);
        Assert.InRange((await SearchAsync(admin, "?limit=100")).Items.Count, 1, 100);
    }

    [Fact]
    public async Task Paging_through_250_users_while_others_sign_up_shows_each_existing_one_exactly_once()
    {
        var admin = await Admins.CreateAsync(factory, _client);
        var tag = "pg" + Guid.NewGuid().ToString("N")[..8];
        // A few at a time: a flood of 250 sign-ups would (rightly) meet the hashing gate's 503.
        var existing = new System.Collections.Concurrent.ConcurrentBag<TestAuth>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 250), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            existing.Add(await AuthApi.RegisterAsync(_client, $"{tag}-{i:D3}@example.com")));

        var seen = new List<Guid>();
        using var stop = new CancellationTokenSource();
        var inserter = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested && n < 60)
            {
                await AuthApi.RegisterAsync(_client, $"{tag}-late-{n++:D3}@example.com");
            }
        });

        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await SearchAsync(admin, $"?query={tag}&limit=7" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 200);

        await stop.CancelAsync();
        await inserter;

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(existing, e => Assert.Contains(e.User.Id, seen));
    }

    private async Task<TestPage<TestAdminUser>> SearchAsync(TestAuth admin, string queryString)
    {
        using var response = await AuthApi.GetAsync(_client, "/api/v1/admin/users" + queryString, admin.AccessToken);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonSerializer.Deserialize<TestPage<TestAdminUser>>(text, AuthApi.Json)!;
    }
}

public sealed record TestAdminUser(Guid Id, string Email, string DisplayName, string Role, bool Disabled, DateTime CreatedAt);

public sealed record TestPage<T>(IReadOnlyList<T> Items, string? NextCursor);
