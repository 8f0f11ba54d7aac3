using System.Net.Http.Json;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Users;

public sealed record TestAuditEntry(Guid Id, Guid ActorId, Guid TargetId, string Field, string From, string To, string RequestId, DateTime CreatedAt);

public sealed class AdminChangeTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Role_change_is_audited_with_the_request_id_and_takes_effect_on_existing_tokens()
    {
        var admin = await Admins.CreateAsync(factory, _client);
        var target = await AuthApi.RegisterAsync(_client);

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/admin/users/{target.User.Id}") { Content = JsonContent.Create(new { role = "moderator" }) };
        request.Headers.Authorization = new("Bearer", admin.AccessToken);
        request.Headers.Add("X-Request-ID", "audit-test-" + Guid.NewGuid().ToString("N")[..8]);
        using var response = await _client.SendAsync(request);
        var updated = (await response.Content.ReadFromJsonAsync<TestAdminUser>(AuthApi.Json))!;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("MODERATOR", updated.Role);
        var entry = (await AuditAsync(admin)).Items.First(e => e.TargetId == target.User.Id);
        Assert.Equal(("role", "USER", "MODERATOR"), (entry.Field, entry.From, entry.To));
        Assert.Equal(admin.User.Id, entry.ActorId);
        Assert.Equal(request.Headers.GetValues("X-Request-ID").Single(), entry.RequestId);

        // On this replica the old token (role USER) stops at once; a refresh brings the new role.
        using var old = await AuthApi.GetAsync(_client, "/api/v1/users/me", target.AccessToken);
        await Problems.AssertProblemAsync(old, 401);
        using var refreshed = await AuthApi.RefreshAsync(_client, target.RefreshToken);
        Assert.Equal("MODERATOR", (await refreshed.Content.ReadFromJsonAsync<TestAuth>(AuthApi.Json))!.User.Role);
    }

    [Fact]
    public async Task Disabling_a_user_revokes_their_sessions_and_blocks_login()
    {
        var admin = await Admins.CreateAsync(factory, _client);
        var target = await AuthApi.RegisterAsync(_client);

        using var response = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/admin/users/{target.User.Id}", admin.AccessToken, new { disabled = true });

        Assert.Equal(200, (int)response.StatusCode);
        using var access = await AuthApi.GetAsync(_client, "/api/v1/users/me", target.AccessToken);
        await Problems.AssertProblemAsync(access, 401);
        using var refresh = await AuthApi.RefreshAsync(_client, target.RefreshToken);
        await Problems.AssertProblemAsync(refresh, 401);
        using var login = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = target.User.Email, password = AuthApi.Password });
        await Problems.AssertProblemAsync(login, 401);
        var entry = (await AuditAsync(admin)).Items.First(e => e.TargetId == target.User.Id);
        Assert.Equal(("disabled", "false", "true"), (entry.Field, entry.From, entry.To));

        using var enable = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/admin/users/{target.User.Id}", admin.AccessToken, new { disabled = false });
        await AuthApi.LoginAsync(_client, target.User.Email);
    }

    [Fact]
    public async Task The_last_admin_cannot_demote_or_disable_themself_but_can_once_another_exists()
    {
        // A database of its own: "last admin" depends on every admin in it.
        await using var lone = new LobbyFactory();
        await ((IAsyncLifetime)lone).InitializeAsync();
        try
        {
            var client = lone.CreateClient();
            var admin = await Admins.CreateAsync(lone, client);
            var path = $"/api/v1/admin/users/{admin.User.Id}";

            using var demote = await AuthApi.SendAsync(client, HttpMethod.Patch, path, admin.AccessToken, new { role = "USER" });
            using var disable = await AuthApi.SendAsync(client, HttpMethod.Patch, path, admin.AccessToken, new { disabled = true });
            await Problems.AssertProblemAsync(demote, 409);
            await Problems.AssertProblemAsync(disable, 409);

            await Admins.CreateAsync(lone, client);
            using var allowed = await AuthApi.SendAsync(client, HttpMethod.Patch, path, admin.AccessToken, new { role = "USER" });
            Assert.Equal(200, (int)allowed.StatusCode);
        }
        finally
        {
            await ((IAsyncLifetime)lone).DisposeAsync();
        }
    }

    [Theory]
    [InlineData("{\"role\": \"KING\"}", "role")]
    [InlineData("{}", "role")]
    [InlineData("{\"disabled\": \"yes\"}", "disabled")]
    [InlineData("{\"email\": \"x@example.com\"}", "email")]
    public async Task Invalid_changes_are_400_naming_the_field(string json, string field)
    {
        var admin = await Admins.CreateAsync(factory, _client);
        var target = await AuthApi.RegisterAsync(_client);
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/admin/users/{target.User.Id}") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", admin.AccessToken);
        using var response = await _client.SendAsync(request);

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Unknown_user_is_404()
    {
        var admin = await Admins.CreateAsync(factory, _client);
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/admin/users/{Guid.NewGuid()}", admin.AccessToken, new { role = "ADMIN" });
        await Problems.AssertProblemAsync(response, 404);
    }

    private async Task<TestPage<TestAuditEntry>> AuditAsync(TestAuth admin)
    {
        using var response = await AuthApi.GetAsync(_client, "/api/v1/admin/audit?limit=100", admin.AccessToken);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonSerializer.Deserialize<TestPage<TestAuditEntry>>(text, AuthApi.Json)!;
    }
}
