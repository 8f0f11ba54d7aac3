using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Auth;

/// <summary>A one-second session-check cache, so the revocation window can be observed end to end.</summary>
public sealed class ShortCheckWindowLobbyFactory : LobbyFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["SESSION_CHECK_CACHE_SECONDS"] = "1" };
}

public sealed class RoleChangeTests(ShortCheckWindowLobbyFactory factory) : IClassFixture<ShortCheckWindowLobbyFactory>
{
    [Fact]
    public async Task Cli_role_change_stops_old_access_tokens_within_the_window_and_refresh_carries_the_new_role()
    {
        var client = factory.CreateClient();
        var auth = await AuthApi.RegisterAsync(client);
        using (var before = await AuthApi.GetAsync(client, "/api/v1/auth/sessions", auth.AccessToken))
        {
            Assert.Equal(200, (int)before.StatusCode);
        }

        var cli = await LobbyBinary.RunAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = factory.ConnectionString }, "users", "set-role", auth.User.Email, "moderator");
        Assert.True(cli.ExitCode == 0, cli.StdErr);

        // The window is SESSION_CHECK_CACHE_SECONDS (1 s here); poll a bounded number of times.
        var refused = false;
        for (var attempt = 0; attempt < 30 && !refused; attempt++)
        {
            using var response = await AuthApi.GetAsync(client, "/api/v1/auth/sessions", auth.AccessToken);
            refused = (int)response.StatusCode == 401;
            if (!refused)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(refused, "the old token still worked 6 s after the role change");
        using var refresh = await AuthApi.RefreshAsync(client, auth.RefreshToken);
        var body = System.Text.Json.JsonDocument.Parse(await refresh.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("MODERATOR", body.GetProperty("user").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Cli_set_role_rejects_an_unknown_role_and_an_unknown_user()
    {
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = factory.ConnectionString };
        Assert.Equal(2, (await LobbyBinary.RunAsync(env, "users", "set-role", "x@example.com", "KING")).ExitCode);
        Assert.Equal(1, (await LobbyBinary.RunAsync(env, "users", "set-role", "nobody@example.com", "ADMIN")).ExitCode);
    }
}
