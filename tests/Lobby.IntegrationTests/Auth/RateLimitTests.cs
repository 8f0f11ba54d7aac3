using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Auth;

public class TightIpLimitLobbyFactory : LobbyFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["AUTH_RATE_LIMIT_PER_IP"] = "3" };
}

/// <summary>A Lobby of its own for the account-link routes, so their count starts at zero.</summary>
public sealed class TightIpLimitForLinksLobbyFactory : TightIpLimitLobbyFactory;

public sealed class TightEmailLimitLobbyFactory : LobbyFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["AUTH_RATE_LIMIT_PER_EMAIL_AND_IP"] = "2" };
}

public sealed class IpRateLimitTests(TightIpLimitLobbyFactory factory) : IClassFixture<TightIpLimitLobbyFactory>
{
    [Fact]
    public async Task Sign_in_attempts_beyond_the_per_ip_limit_get_429_with_retry_after()
    {
        var client = factory.CreateClient();
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = AuthApi.NewEmail(), password = "whatever-password" });
            statuses.Add((int)response.StatusCode);
            if (i == 3)
            {
                await Problems.AssertProblemAsync(response, 429);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }

        Assert.Equal([401, 401, 401, 429], statuses);
    }
}

public sealed class AccountLinkRateLimitTests(TightIpLimitForLinksLobbyFactory factory) : IClassFixture<TightIpLimitForLinksLobbyFactory>
{
    [Fact]
    public async Task Forgot_password_and_reset_attempts_share_the_per_ip_limit()
    {
        var client = factory.CreateClient();
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var response = i % 2 == 0
                ? await client.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = AuthApi.NewEmail() })
                : await client.PostAsJsonAsync("/api/v1/auth/password/reset", new { token = new string('A', 43), newPassword = "a long enough new password" });
            statuses.Add((int)response.StatusCode);
            if (i == 3)
            {
                await Problems.AssertProblemAsync(response, 429);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }

        // Mail is off in this Lobby, so the first three are refused as unavailable, but counted.
        Assert.DoesNotContain(429, statuses[..3]);
        Assert.Equal(429, statuses[3]);
    }
}

public sealed class EmailRateLimitTests(TightEmailLimitLobbyFactory factory) : IClassFixture<TightEmailLimitLobbyFactory>
{
    [Fact]
    public async Task Attempts_on_one_account_from_one_address_beyond_the_limit_get_429_while_others_pass()
    {
        var client = factory.CreateClient();
        var target = AuthApi.NewEmail("target");
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = target, password = "guess-number-" + i });
            Assert.Equal(401, (int)allowed.StatusCode);
        }

        using var limited = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = target.ToUpperInvariant(), password = "guess-number-3" });
        await Problems.AssertProblemAsync(limited, 429);
        Assert.NotNull(limited.Headers.RetryAfter);

        using var other = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = AuthApi.NewEmail(), password = "another-guess" });
        Assert.Equal(401, (int)other.StatusCode);
    }
}
