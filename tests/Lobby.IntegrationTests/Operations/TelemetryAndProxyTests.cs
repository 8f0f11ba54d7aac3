using System.Net.Http.Json;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Operations;

public sealed class TelemetryAndProxyTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    [Fact]
    public async Task Metrics_are_off_by_default()
    {
        using var response = await factory.CreateClient().GetAsync(new Uri("/metrics", UriKind.Relative));
        await Problems.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task Metrics_enabled_expose_http_and_database_instruments_for_prometheus()
    {
        await using var lobby = await LobbyProcess.StartAsync(factory.ConnectionString, new Dictionary<string, string?> { ["METRICS_ENABLED"] = "true" });
        await AuthApi.RegisterAsync(lobby.Http);

        using var response = await lobby.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("db_client_", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forwarded_client_addresses_count_only_from_trusted_proxies()
    {
        await using var trusting = await LobbyProcess.StartAsync(factory.ConnectionString, new Dictionary<string, string?> { ["TRUSTED_PROXIES"] = "127.0.0.1" });
        await using var sceptic = await LobbyProcess.StartAsync(factory.ConnectionString);

        Assert.Equal("203.0.113.9", await SessionIpAsync(trusting.Http));
        Assert.Equal("127.0.0.1", await SessionIpAsync(sceptic.Http));
    }

    private static async Task<string?> SessionIpAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register")
        {
            Content = JsonContent.Create(new { email = AuthApi.NewEmail("proxied"), password = AuthApi.Password, displayName = "Proxied" }),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await http.SendAsync(request);
        var auth = (await response.Content.ReadFromJsonAsync<TestAuth>(AuthApi.Json))!;
        using var sessions = await AuthApi.GetAsync(http, "/api/v1/auth/sessions", auth.AccessToken);
        return JsonDocument.Parse(await sessions.Content.ReadAsStringAsync()).RootElement[0].GetProperty("ip").GetString();
    }
}
