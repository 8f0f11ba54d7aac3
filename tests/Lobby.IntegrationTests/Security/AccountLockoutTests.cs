using System.Diagnostics;
using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Security;

/// <summary>
/// A stranger guessing someone's password must not lock the owner out, and guessing must stay
/// expensive. Real Kestrel behind a trusted "proxy" (the test), which names each client address.
/// </summary>
public sealed class AccountLockoutTests : IAsyncLifetime
{
    private const string Attacker = "203.0.113.9";
    private const string Owner = "198.51.100.7";
    private string _database = "";
    private LobbyProcess _lobby = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        _lobby = await LobbyProcess.StartAsync(_database, new Dictionary<string, string?>
        {
            ["TRUSTED_PROXIES"] = "127.0.0.1",
            ["AUTH_RATE_LIMIT_PER_EMAIL_AND_IP"] = "3",
            ["AUTH_RATE_LIMIT_PER_EMAIL"] = "5",
            ["AUTH_SLOWDOWN_MAX_SECONDS"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _lobby.DisposeAsync();
        await TestDatabase.DropAsync(_database);
    }

    [Fact]
    public async Task Wrong_guesses_from_one_address_get_429_there_while_the_owner_signs_in_and_changes_password_elsewhere()
    {
        var email = AuthApi.NewEmail("owner");
        using (var register = await SendAsync(Owner, "/api/v1/auth/register", new { email, password = AuthApi.Password, displayName = "Owner" }))
        {
            Assert.Equal(201, (int)register.StatusCode);
        }

        var statuses = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            using var guess = await SendAsync(Attacker, "/api/v1/auth/login", new { email, password = "wrong-guess-" + i });
            statuses.Add((int)guess.StatusCode);
            if ((int)guess.StatusCode == 429)
            {
                await Problems.AssertProblemAsync(guess, 429);
                Assert.True(guess.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }

        Assert.Equal([401, 401, 401, 429, 429, 429, 429, 429, 429, 429], statuses);

        // The owner, at their own address and with the right password, is not locked out.
        using var login = await SendAsync(Owner, "/api/v1/auth/login", new { email, password = AuthApi.Password });
        Assert.Equal(200, (int)login.StatusCode);
        var auth = (await login.Content.ReadFromJsonAsync<TestAuth>(AuthApi.Json))!;
        using var change = await SendAsync(Owner, "/api/v1/users/me/password", new { currentPassword = AuthApi.Password, newPassword = "a brand new passphrase" }, auth.AccessToken);
        Assert.Equal(204, (int)change.StatusCode);
    }

    [Fact]
    public async Task Beyond_the_per_email_ceiling_attempts_from_new_addresses_are_slowed_but_the_owner_still_gets_in()
    {
        var email = AuthApi.NewEmail("owner");
        using (var register = await SendAsync(Owner, "/api/v1/auth/register", new { email, password = AuthApi.Password, displayName = "Owner" }))
        {
            Assert.Equal(201, (int)register.StatusCode);
        }

        // Four more attempts from four addresses reach the ceiling of 5 for this email; none is refused.
        for (var i = 1; i <= 4; i++)
        {
            using var guess = await SendAsync($"203.0.113.{i}", "/api/v1/auth/login", new { email, password = "wrong-guess" });
            Assert.Equal(401, (int)guess.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        using var slowed = await SendAsync("203.0.113.50", "/api/v1/auth/login", new { email, password = "wrong-guess" });
        Assert.Equal(401, (int)slowed.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"answered after {clock.Elapsed}, expected the 1 s slowdown");

        using var owner = await SendAsync(Owner, "/api/v1/auth/login", new { email, password = AuthApi.Password });
        Assert.Equal(200, (int)owner.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string clientIp, string path, object body, string? accessToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", clientIp);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new("Bearer", accessToken);
        }

        return await _lobby.Http.SendAsync(request);
    }
}
