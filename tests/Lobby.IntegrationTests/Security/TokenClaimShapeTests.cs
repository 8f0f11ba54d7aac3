using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.IntegrationTests.Security;

/// <summary>
/// Tokens signed with Lobby's own key (as if it leaked into a forger's hands, or a bug minted
/// them) but shaped unlike what Lobby issues: only exactly one string sub, sid and role pass,
/// and the sub must be the session's user (RFC 8725 §3.8).
/// </summary>
public sealed class TokenClaimShapeTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_role_array_does_not_reach_an_admin_endpoint()
    {
        var user = await AuthApi.RegisterAsync(_client);
        var claims = ClaimsOf(user.AccessToken);
        claims["role"] = new[] { "USER", "ADMIN" };

        using var response = await AuthApi.GetAsync(_client, "/api/v1/admin/users", Sign(claims));

        await Problems.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task A_repeated_role_member_is_refused()
    {
        var user = await AuthApi.RegisterAsync(_client);
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(user.AccessToken.Split('.')[1]));
        var doubled = payload.Replace("\"role\":\"USER\"", "\"role\":\"USER\",\"role\":\"ADMIN\"", StringComparison.Ordinal);
        Assert.NotEqual(payload, doubled);

        using var response = await AuthApi.GetAsync(_client, "/api/v1/admin/users", SignRaw(user.AccessToken.Split('.')[0], doubled));

        await Problems.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task A_sub_that_is_not_the_sessions_user_is_refused()
    {
        var attacker = await AuthApi.RegisterAsync(_client);
        var victim = await AuthApi.RegisterAsync(_client);
        var claims = ClaimsOf(attacker.AccessToken);
        claims["sub"] = victim.User.Id.ToString();

        using var response = await AuthApi.GetAsync(_client, "/api/v1/users/me", Sign(claims));

        await Problems.AssertProblemAsync(response, 401);
    }

    [Theory]
    [InlineData("role", "KING")]
    [InlineData("sub", "not-a-uuid")]
    public async Task A_claim_with_a_value_Lobby_never_issues_is_refused(string claim, string value)
    {
        var user = await AuthApi.RegisterAsync(_client);
        var claims = ClaimsOf(user.AccessToken);
        claims[claim] = value;

        using var response = await AuthApi.GetAsync(_client, "/api/v1/users/me", Sign(claims));

        await Problems.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task The_same_claims_re_signed_unchanged_are_accepted()
    {
        // The control: the re-signing itself is not what the tests above are refused for.
        var user = await AuthApi.RegisterAsync(_client);

        using var response = await AuthApi.GetAsync(_client, "/api/v1/users/me", Sign(ClaimsOf(user.AccessToken)));

        Assert.Equal(200, (int)response.StatusCode);
    }

    private static Dictionary<string, object> ClaimsOf(string token)
    {
        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(new JsonWebToken(token).EncodedPayload)).RootElement;
        return payload.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? (object)p.Value.GetInt64() : p.Value.GetString()!);
    }

    private static RSA LobbyKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(TestKeys.PrivateKeyFile));
        return rsa;
    }

    private static string Sign(Dictionary<string, object> claims)
    {
        var rsa = LobbyKey();
        var key = new RsaSecurityKey(rsa)
        {
            KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))).ComputeJwkThumbprint()),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Signs a payload text as given (a JSON library would merge repeated members).</summary>
    private static string SignRaw(string encodedHeader, string payload)
    {
        using var rsa = LobbyKey();
        var signingInput = encodedHeader + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload));
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }
}
