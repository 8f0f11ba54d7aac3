using System.Net.Http.Json;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Accounts;

/// <summary>No SMTP_URL outside Development: the mail flows say plainly that they are off, and nothing else changes.</summary>
public sealed class MailOffTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_mail_flows_answer_503_with_the_reason_and_sign_up_still_works()
    {
        using (var settings = await _client.GetAsync(new Uri("/api/v1/auth/settings", UriKind.Relative)))
        {
            Assert.False((await RoomsApi.ReadAsync<JsonElement>(settings, 200)).GetProperty("mailEnabled").GetBoolean());
        }

        var auth = await AuthApi.RegisterAsync(_client);
        Assert.False(auth.User.Id == Guid.Empty);
        using (var forgot = await _client.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = auth.User.Email }))
        {
            var problem = await Problems.AssertProblemAsync(forgot, 503);
            Assert.Contains("SMTP_URL", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var change = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/email", auth.AccessToken, new { newEmail = AuthApi.NewEmail(), currentPassword = AuthApi.Password }))
        {
            await Problems.AssertProblemAsync(change, 503);
        }

        // Erasure and signing out everywhere need no mail.
        using var delete = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/delete", auth.AccessToken, new { currentPassword = AuthApi.Password });
        Assert.Equal(204, (int)delete.StatusCode);
    }
}
