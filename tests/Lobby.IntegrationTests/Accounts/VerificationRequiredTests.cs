using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Accounts;

/// <summary>REQUIRE_EMAIL_VERIFICATION=true: sign-in waits for the link, and registration tells nobody whether an address is taken.</summary>
public sealed class VerificationRequiredTests(VerifyingLobbyFactory factory) : IClassFixture<VerifyingLobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Registration_answers_byte_for_byte_the_same_for_new_and_taken_addresses()
    {
        var taken = AuthApi.NewEmail("taken");
        using (var first = await RegisterAsync(taken))
        {
            Assert.Equal(202, (int)first.StatusCode);
        }

        var fresh = AuthApi.NewEmail("fresh");
        using var forTaken = await RegisterAsync(taken.ToUpperInvariant(), "Someone Else");
        using var forFresh = await RegisterAsync(fresh);

        Assert.Equal(202, (int)forTaken.StatusCode);
        Assert.Equal(202, (int)forFresh.StatusCode);
        Assert.Equal(await forFresh.Content.ReadAsByteArrayAsync(), await forTaken.Content.ReadAsByteArrayAsync());
        Assert.Equal(forFresh.Content.Headers.ContentType?.ToString(), forTaken.Content.Headers.ContentType?.ToString());
        Assert.Null(forTaken.Headers.Location);
        Assert.Null(forFresh.Headers.Location);
        Assert.DoesNotContain("accessToken", await forFresh.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The owner of the taken address hears about it, with a way back in; the new address gets its link.
        var warning = await factory.Smtp.WaitForAsync(taken, "tried to sign up");
        Assert.Contains("/#/reset-password?token=", warning.TextBody, StringComparison.Ordinal);
        await factory.Smtp.WaitForAsync(fresh, "Confirm your email");
        Assert.Single(factory.Smtp.To(taken), m => (m.Subject ?? "").Contains("Confirm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_in_waits_for_the_verification_link()
    {
        var email = AuthApi.NewEmail("waits");
        using (var register = await RegisterAsync(email))
        {
            Assert.Equal(202, (int)register.StatusCode);
        }

        var (_, token) = SmtpSink.LinkIn(await factory.Smtp.WaitForAsync(email, "Confirm your email"));

        using (var early = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = AuthApi.Password }))
        {
            var problem = await Problems.AssertProblemAsync(early, 403);
            Assert.Contains("Confirm your email", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var wrongPassword = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "not the password at all" }))
        {
            // A wrong password is told apart from an unverified address by nothing but the usual 401.
            await Problems.AssertProblemAsync(wrongPassword, 401);
        }

        using (var verify = await _client.PostAsJsonAsync("/api/v1/auth/email/verify", new { token }))
        {
            Assert.Equal(204, (int)verify.StatusCode);
        }

        var auth = await AuthApi.LoginAsync(_client, email);
        Assert.Equal(email, auth.User.Email);
    }

    private Task<HttpResponseMessage> RegisterAsync(string email, string displayName = "New Person") =>
        _client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = AuthApi.Password, displayName });
}
