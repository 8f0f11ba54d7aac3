using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.IntegrationTests.Auth;

/// <summary>Forged, altered and stale tokens against a protected endpoint.</summary>
public sealed class TokenValidationTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private const string Protected = "/api/v1/auth/sessions";
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_valid_token_is_accepted_and_carries_the_documented_claims()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.GetAsync(_client, Protected, auth.AccessToken);
        Assert.Equal(200, (int)response.StatusCode);

        var token = new JsonWebToken(auth.AccessToken);
        Assert.Equal("RS256", token.Alg);
        Assert.False(string.IsNullOrEmpty(token.Kid));
        foreach (var claim in new[] { "iss", "aud", "sub", "exp", "iat", "nbf", "jti", "sid", "role" })
        {
            Assert.True(token.TryGetPayloadValue<object>(claim, out _), $"missing claim {claim}");
        }

        Assert.Equal(auth.User.Id.ToString(), token.Subject);
        Assert.Equal(TimeSpan.FromMinutes(15), token.ValidTo - token.IssuedAt);
    }

    [Fact]
    public async Task No_token_is_401_with_a_bearer_challenge()
    {
        using var response = await AuthApi.GetAsync(_client, Protected, null);

        await Problems.AssertProblemAsync(response, 401);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Tampered_signature_is_401()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var parts = auth.AccessToken.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[10] ^= 0xFF;

        await AssertRejectedAsync($"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}");
    }

    [Fact]
    public async Task Tampered_payload_is_401()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var parts = auth.AccessToken.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"USER\"", "\"ADMIN\"", StringComparison.Ordinal);

        await AssertRejectedAsync($"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}");
    }

    [Fact]
    public async Task Alg_none_is_401()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var payload = auth.AccessToken.Split('.')[1];
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");

        await AssertRejectedAsync($"{header}.{payload}.");
    }

    [Fact]
    public async Task Hs256_signed_with_the_public_key_is_401()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var publicPem = Encoding.UTF8.GetBytes(await File.ReadAllTextAsync(TestKeys.PublicKeyFile));
        var claims = Claims(new JsonWebToken(auth.AccessToken));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(publicPem), SecurityAlgorithms.HmacSha256),
        });

        await AssertRejectedAsync(token);
    }

    [Theory]
    [InlineData("aud", "someone-else")]
    [InlineData("iss", "https://evil.example")]
    public async Task Wrong_audience_or_issuer_is_401(string claim, string value)
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var claims = Claims(new JsonWebToken(auth.AccessToken));
        claims[claim] = value;

        await AssertRejectedAsync(SignWithLobbyKey(claims));
    }

    [Fact]
    public async Task Expired_token_is_401_saying_so()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var claims = Claims(new JsonWebToken(auth.AccessToken));
        var past = DateTimeOffset.UtcNow.AddMinutes(-20);
        claims["iat"] = past.ToUnixTimeSeconds();
        claims["nbf"] = past.ToUnixTimeSeconds();
        claims["exp"] = past.AddMinutes(15).ToUnixTimeSeconds();

        var body = await AssertRejectedAsync(SignWithLobbyKey(claims));
        Assert.Contains("expired", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_signed_by_an_unknown_key_is_401()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var other = RSA.Create(2048);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = Claims(new JsonWebToken(auth.AccessToken)),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(other) { KeyId = new JsonWebToken(auth.AccessToken).Kid }, SecurityAlgorithms.RsaSha256),
        });

        await AssertRejectedAsync(token);
    }

    [Fact]
    public async Task Token_of_a_logged_out_session_is_401()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var logout = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/auth/logout", auth.AccessToken);
        Assert.Equal(204, (int)logout.StatusCode);

        await AssertRejectedAsync(auth.AccessToken);
    }

    private async Task<JsonElement> AssertRejectedAsync(string token)
    {
        using var response = await AuthApi.GetAsync(_client, Protected, token);
        var body = await Problems.AssertProblemAsync(response, 401);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        return body;
    }

    private static Dictionary<string, object> Claims(JsonWebToken token)
    {
        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement;
        return payload.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? (object)p.Value.GetInt64() : p.Value.GetString()!);
    }

    private static string SignWithLobbyKey(Dictionary<string, object> claims)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(TestKeys.PrivateKeyFile));
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))).ComputeJwkThumbprint());
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
