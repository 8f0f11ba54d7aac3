using System.Net.Http.Json;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Users;

public sealed class MeTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Me_returns_my_profile()
    {
        var auth = await AuthApi.RegisterAsync(_client, displayName: "Me Myself");
        using var response = await AuthApi.GetAsync(_client, "/api/v1/users/me", auth.AccessToken);
        var me = (await response.Content.ReadFromJsonAsync<TestUser>(AuthApi.Json))!;

        Assert.Equal(auth.User, me);
    }

    [Fact]
    public async Task Patch_me_trims_and_updates_the_display_name()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Patch, "/api/v1/users/me", auth.AccessToken, new { displayName = "  New Name  " });
        var me = (await response.Content.ReadFromJsonAsync<TestUser>(AuthApi.Json))!;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("New Name", me.DisplayName);
        using var again = await AuthApi.GetAsync(_client, "/api/v1/users/me", auth.AccessToken);
        Assert.Equal("New Name", (await again.Content.ReadFromJsonAsync<TestUser>(AuthApi.Json))!.DisplayName);
    }

    [Theory]
    [InlineData("role", "ADMIN")]
    [InlineData("email", "evil@example.com")]
    [InlineData("id", "00000000-0000-0000-0000-000000000000")]
    [InlineData("disabled", "false")]
    [InlineData("passwordHash", "x")]
    [InlineData("somethingElse", "1")]
    public async Task Patch_me_with_any_other_field_is_400_naming_it_and_changes_nothing(string field, string value)
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var body = new Dictionary<string, string> { ["displayName"] = "Still Me", [field] = value };

        using var response = await AuthApi.SendAsync(_client, HttpMethod.Patch, "/api/v1/users/me", auth.AccessToken, body);

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        using var me = await AuthApi.GetAsync(_client, "/api/v1/users/me", auth.AccessToken);
        var after = (await me.Content.ReadFromJsonAsync<TestUser>(AuthApi.Json))!;
        Assert.Equal(auth.User, after);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"displayName\": \"   \"}")]
    [InlineData("{\"displayName\": null}")]
    public async Task Patch_me_without_a_usable_name_is_400(string json)
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/users/me") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", auth.AccessToken);
        using var response = await _client.SendAsync(request);

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("displayName", out _));
    }

    [Fact]
    public async Task Public_profile_shows_no_email()
    {
        var viewer = await AuthApi.RegisterAsync(_client);
        var other = await AuthApi.RegisterAsync(_client, displayName: "Other");

        using var response = await AuthApi.GetAsync(_client, $"/api/v1/users/{other.User.Id}", viewer.AccessToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Other", body.GetProperty("displayName").GetString());
        Assert.Equal(other.User.Id, body.GetProperty("id").GetGuid());
        Assert.False(body.TryGetProperty("email", out _));
        Assert.DoesNotContain(other.User.Email, body.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unknown_user_is_404_and_malformed_id_is_400_and_anonymous_is_401()
    {
        var viewer = await AuthApi.RegisterAsync(_client);

        using var missing = await AuthApi.GetAsync(_client, $"/api/v1/users/{Guid.NewGuid()}", viewer.AccessToken);
        using var malformed = await AuthApi.GetAsync(_client, "/api/v1/users/12345", viewer.AccessToken);
        using var anonymous = await AuthApi.GetAsync(_client, "/api/v1/users/me", null);

        await Problems.AssertProblemAsync(missing, 404);
        await Problems.AssertProblemAsync(malformed, 400);
        await Problems.AssertProblemAsync(anonymous, 401);
    }
}
