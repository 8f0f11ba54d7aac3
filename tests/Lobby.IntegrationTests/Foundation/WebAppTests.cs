using System.Net.Http.Headers;
using System.Text;
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

    [Fact]
    public async Task Wrong_method_on_an_api_route_is_405_with_allow_not_the_page()
    {
        using var response = await factory.CreateClient().PutAsync(new Uri("/api/v1/rooms", UriKind.Relative), null);

        await Problems.AssertProblemAsync(response, 405);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Body_that_is_not_json_on_an_api_route_is_415_not_the_page()
    {
        using var client = factory.CreateClient();
        var user = await AuthApi.RegisterAsync(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/rooms")
        {
            Content = new StringContent("{\"name\":\"x\",\"visibility\":\"public\"}", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var response = await client.SendAsync(request);

        await Problems.AssertProblemAsync(response, 415);
    }

    public static TheoryData<string, string> ServerPaths()
    {
        var data = new TheoryData<string, string>();
        string[] paths = ["/api/v1/rooms", "/api/v1/nothing", "/API/v1/rooms", "/health/live", "/health/nothing", "/openapi/v1.yaml",
            "/openapi/nothing", "/docs", "/docs/nothing", "/.well-known/jwks.json", "/.well-known/nothing", "/metrics", "/metrics/nothing"];
        foreach (var path in paths)
        {
            foreach (var method in new[] { "GET", "POST", "PUT", "DELETE", "PATCH" })
            {
                data.Add(method, path);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ServerPaths))]
    public async Task Nothing_under_the_server_prefixes_falls_through_to_the_page(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await factory.CreateClient().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<title>Lobby</title>", body, StringComparison.Ordinal);
        if ((int)response.StatusCode >= 400)
        {
            await Problems.AssertProblemAsync(response, (int)response.StatusCode);
        }
    }

    [Fact]
    public async Task A_page_answers_GET_and_HEAD_and_other_methods_get_a_problem()
    {
        using var client = factory.CreateClient();
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri("/rooms/abc", UriKind.Relative)));
        using var post = await client.PostAsync(new Uri("/rooms/abc", UriKind.Relative), new StringContent("x"));

        Assert.Equal(200, (int)head.StatusCode);
        await Problems.AssertProblemAsync(post, 404);
    }
}
