using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Auth;

public sealed class SessionTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Sessions_list_marks_the_current_one_and_records_the_client()
    {
        var phone = await AuthApi.RegisterAsync(_client);
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("LaptopBrowser/1.0");
        var laptop = await AuthApi.LoginAsync(_client, phone.User.Email);

        using var response = await AuthApi.GetAsync(_client, "/api/v1/auth/sessions", laptop.AccessToken);
        var sessions = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();

        Assert.Equal(2, sessions.Count);
        var current = Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        Assert.Equal("LaptopBrowser/1.0", current.GetProperty("userAgent").GetString());
        foreach (var field in new[] { "id", "ip", "createdAt", "lastUsedAt" })
        {
            Assert.True(current.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Deleting_another_session_ends_its_refresh_and_access_tokens()
    {
        var phone = await AuthApi.RegisterAsync(_client);
        var laptop = await AuthApi.LoginAsync(_client, phone.User.Email);
        var phoneSession = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(phone.AccessToken).GetClaim("sid").Value;

        using var delete = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/auth/sessions/{phoneSession}", laptop.AccessToken);

        Assert.Equal(204, (int)delete.StatusCode);
        using var refresh = await AuthApi.RefreshAsync(_client, phone.RefreshToken);
        await Problems.AssertProblemAsync(refresh, 401);
        using var access = await AuthApi.GetAsync(_client, "/api/v1/auth/sessions", phone.AccessToken);
        await Problems.AssertProblemAsync(access, 401);
        using var stillIn = await AuthApi.GetAsync(_client, "/api/v1/auth/sessions", laptop.AccessToken);
        Assert.Equal(200, (int)stillIn.StatusCode);
    }

    [Fact]
    public async Task Someone_elses_session_or_a_missing_one_is_404()
    {
        var alice = await AuthApi.RegisterAsync(_client);
        var bob = await AuthApi.RegisterAsync(_client);
        var bobSession = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(bob.AccessToken).GetClaim("sid").Value;

        using var other = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/auth/sessions/{bobSession}", alice.AccessToken);
        using var missing = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/auth/sessions/{Guid.NewGuid()}", alice.AccessToken);

        await Problems.AssertProblemAsync(other, 404);
        await Problems.AssertProblemAsync(missing, 404);
        using var bobStillIn = await AuthApi.GetAsync(_client, "/api/v1/auth/sessions", bob.AccessToken);
        Assert.Equal(200, (int)bobStillIn.StatusCode);
    }

    [Fact]
    public async Task Malformed_session_id_is_400()
    {
        var alice = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Delete, "/api/v1/auth/sessions/not-a-uuid", alice.AccessToken);
        await Problems.AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task Logout_needs_a_token()
    {
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/auth/logout", null);
        await Problems.AssertProblemAsync(response, 401);
    }
}
