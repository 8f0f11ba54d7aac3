using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Foundation;

/// <summary>Lobby serving a stand-in web client build from a temporary WEB_ROOT.</summary>
public sealed class WebAppFactory : LobbyFactory
{
    public string Root { get; } = Directory.CreateTempSubdirectory("lobby-web-").FullName;

    public WebAppFactory()
    {
        Directory.CreateDirectory(Path.Combine(Root, "assets"));
        File.WriteAllText(Path.Combine(Root, "index.html"), "<!doctype html><title>Lobby</title>");
        File.WriteAllText(Path.Combine(Root, "assets", "index-Ab12Cd34.js"), "console.log(1);");
    }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["WEB_ROOT"] = Root };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Root, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class WebAppTests(WebAppFactory factory) : IClassFixture<WebAppFactory>
{
    private async Task<HttpResponseMessage> GetAsync(string path) =>
        await factory.CreateClient().GetAsync(new Uri(path, UriKind.Relative));

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/rooms/some-client-side-page")]
    public async Task Pages_get_index_html_revalidated_with_a_content_security_policy(string path)
    {
        using var response = await GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Lobby</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Hashed_assets_are_immutable()
    {
        using var response = await GetAsync("/assets/index-Ab12Cd34.js");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api")]
    [InlineData("/health/nothing-here")]
    [InlineData("/docs")]
    [InlineData("/openapi/nothing-here")]
    [InlineData("/assets/missing-Zz99.js")]
    public async Task Server_routes_and_missing_files_stay_problem_404s(string path)
    {
        using var response = await GetAsync(path);

        await Problems.AssertProblemAsync(response, 404);
    }
}
