using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Reliability;

public sealed class CorsLobbyFactory : LobbyFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["CORS_ORIGINS"] = "https://app.example.com" };
}

public sealed class CorsAndHeadersTests(CorsLobbyFactory factory) : IClassFixture<CorsLobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_configured_origin_passes_preflight()
    {
        using var response = await PreflightAsync("https://app.example.com");

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal("https://app.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("https://app.example.com.evil.com")]
    [InlineData("null")]
    public async Task Other_origins_get_no_cors_grant(string origin)
    {
        using var response = await PreflightAsync(origin);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_request_without_origin_gets_no_cors_headers()
    {
        using var response = await _client.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Api_responses_carry_security_headers_and_authenticated_ones_are_not_cacheable()
    {
        var user = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.GetAsync(_client, "/api/v1/users/me", user.AccessToken);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var problem = await _client.GetAsync(new Uri("/api/v1/nope", UriKind.Relative));
        Assert.Equal("nosniff", problem.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/auth/login");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return await _client.SendAsync(request);
    }
}
