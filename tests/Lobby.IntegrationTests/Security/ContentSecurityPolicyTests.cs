using Lobby.IntegrationTests.Foundation;

namespace Lobby.IntegrationTests.Security;

/// <summary>The web client's policy lets scripts talk only to Lobby's own origin (the refresh token sits in localStorage).</summary>
public sealed class ContentSecurityPolicyTests(WebAppFactory factory) : IClassFixture<WebAppFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/rooms/some-client-side-page")]
    public async Task Connect_src_is_the_own_origin_only(string path)
    {
        using var response = await factory.CreateClient().GetAsync(new Uri(path, UriKind.Relative));
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();

        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'self'"], directives["connect-src"]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
    }
}
