using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Auth;

public sealed class RefreshTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Refresh_rotates_the_refresh_token_and_issues_a_working_access_token()
    {
        var auth = await AuthApi.RegisterAsync(_client);

        using var response = await AuthApi.RefreshAsync(_client, auth.RefreshToken);
        var refreshed = (await response.Content.ReadFromJsonAsync<TestAuth>(AuthApi.Json))!;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.NotEqual(auth.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(auth.User.Id, refreshed.User.Id);
        using var me = await AuthApi.GetAsync(_client, "/api/v1/auth/sessions", refreshed.AccessToken);
        Assert.Equal(200, (int)me.StatusCode);
    }

    [Fact]
    public async Task Concurrent_refreshes_with_one_token_inside_the_grace_window_both_succeed_with_one_chain()
    {
        var auth = await AuthApi.RegisterAsync(_client);

        // Two tabs at the same instant; the row lock makes one wait for the other.
        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => AuthApi.RefreshAsync(_client, auth.RefreshToken)));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<TestAuth>(AuthApi.Json)));

        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.Equal(bodies[0]!.RefreshToken, bodies[1]!.RefreshToken);

        // The shared successor continues the one chain; the original is now used twice over.
        using var next = await AuthApi.RefreshAsync(_client, bodies[0]!.RefreshToken);
        Assert.Equal(200, (int)next.StatusCode);
        using var sessions = await AuthApi.GetAsync(_client, "/api/v1/auth/sessions", bodies[0]!.AccessToken);
        Assert.Single(System.Text.Json.JsonDocument.Parse(await sessions.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Reusing_a_token_whose_successor_was_already_used_revokes_the_session()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var first = await AuthApi.RefreshAsync(_client, auth.RefreshToken);
        var second = (await first.Content.ReadFromJsonAsync<TestAuth>(AuthApi.Json))!;
        using var third = await AuthApi.RefreshAsync(_client, second.RefreshToken);
        var latest = (await third.Content.ReadFromJsonAsync<TestAuth>(AuthApi.Json))!;

        using var replay = await AuthApi.RefreshAsync(_client, auth.RefreshToken);

        await Problems.AssertProblemAsync(replay, 401);
        using var afterTheft = await AuthApi.RefreshAsync(_client, latest.RefreshToken);
        await Problems.AssertProblemAsync(afterTheft, 401);
        using var access = await AuthApi.GetAsync(_client, "/api/v1/auth/sessions", latest.AccessToken);
        await Problems.AssertProblemAsync(access, 401);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not/base64url+chars!!!!!!!!!!!!!!!!!!!!!!!!")]
    public async Task Unknown_or_malformed_refresh_tokens_are_401(string token)
    {
        using var response = await AuthApi.RefreshAsync(_client, token);
        await Problems.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task Refresh_after_logout_is_401()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var logout = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/auth/logout", auth.AccessToken);

        using var response = await AuthApi.RefreshAsync(_client, auth.RefreshToken);

        await Problems.AssertProblemAsync(response, 401);
    }
}

/// <summary>No grace window: any reuse of a rotated token is theft.</summary>
public sealed class NoGraceLobbyFactory : LobbyFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["REFRESH_REUSE_GRACE_SECONDS"] = "0" };
}

public sealed class RefreshOutsideGraceTests(NoGraceLobbyFactory factory) : IClassFixture<NoGraceLobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Reusing_a_rotated_token_outside_the_grace_window_revokes_the_whole_session()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var first = await AuthApi.RefreshAsync(_client, auth.RefreshToken);
        var rotated = (await first.Content.ReadFromJsonAsync<TestAuth>(AuthApi.Json))!;

        using var reuse = await AuthApi.RefreshAsync(_client, auth.RefreshToken);

        await Problems.AssertProblemAsync(reuse, 401);
        using var legit = await AuthApi.RefreshAsync(_client, rotated.RefreshToken);
        await Problems.AssertProblemAsync(legit, 401);
        using var access = await AuthApi.GetAsync(_client, "/api/v1/auth/sessions", rotated.AccessToken);
        await Problems.AssertProblemAsync(access, 401);
    }
}
