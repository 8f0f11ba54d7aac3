using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Lobby.IntegrationTests.Auth;

public sealed class JwksTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    [Fact]
    public async Task Jwks_publishes_the_signing_key_without_private_parts()
    {
        var client = factory.CreateClient();
        var auth = await AuthApi.RegisterAsync(client);

        using var response = await client.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));
        var key = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("keys").EnumerateArray());

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal(new JsonWebToken(auth.AccessToken).Kid, key.GetProperty("kid").GetString());
        foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi" })
        {
            Assert.False(key.TryGetProperty(secret, out _), $"JWKS exposes {secret}");
        }
    }
}
