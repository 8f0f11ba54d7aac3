using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Users;

public sealed class PasswordChangeTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private const string NewPassword = "a brand new passphrase 42";
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Changing_the_password_ends_every_other_session_and_keeps_this_one()
    {
        var here = await AuthApi.RegisterAsync(_client);
        var elsewhere = await AuthApi.LoginAsync(_client, here.User.Email);

        using var change = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/password", here.AccessToken, new { currentPassword = AuthApi.Password, newPassword = NewPassword });

        Assert.Equal(204, (int)change.StatusCode);
        using var otherRefresh = await AuthApi.RefreshAsync(_client, elsewhere.RefreshToken);
        await Problems.AssertProblemAsync(otherRefresh, 401);
        using var otherAccess = await AuthApi.GetAsync(_client, "/api/v1/users/me", elsewhere.AccessToken);
        await Problems.AssertProblemAsync(otherAccess, 401);
        using var stillHere = await AuthApi.GetAsync(_client, "/api/v1/users/me", here.AccessToken);
        Assert.Equal(200, (int)stillHere.StatusCode);

        using var oldLogin = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = here.User.Email, password = AuthApi.Password });
        await Problems.AssertProblemAsync(oldLogin, 401);
        await AuthApi.LoginAsync(_client, here.User.Email, NewPassword);
    }

    [Fact]
    public async Task Wrong_current_password_is_400_and_changes_nothing()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/password", auth.AccessToken, new { currentPassword = "not my password", newPassword = NewPassword });

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("currentPassword", out _));
        await AuthApi.LoginAsync(_client, auth.User.Email, AuthApi.Password);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("password1")]
    [InlineData(null)]
    public async Task New_password_follows_the_registration_rules(string? newPassword)
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/password", auth.AccessToken, new { currentPassword = AuthApi.Password, newPassword });

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("newPassword", out _));
    }

    [Fact]
    public async Task New_password_equal_to_the_email_is_refused()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/password", auth.AccessToken, new { currentPassword = AuthApi.Password, newPassword = auth.User.Email });

        await Problems.AssertProblemAsync(response, 400);
    }
}
