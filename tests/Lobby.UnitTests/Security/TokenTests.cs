using Lobby.Api.Config;
using Lobby.Api.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.UnitTests.Security;

public sealed class TokenTests : IDisposable
{
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"lobby-unit-{Guid.NewGuid():N}.pem");
    private readonly SigningKeyRing _ring;
    private readonly LobbyOptions _options = new();

    public TokenTests()
    {
        SigningKeyRing.WriteNewKeyPair(_keyFile);
        _options.Auth.SigningKeyFiles = [_keyFile];
        _ring = SigningKeyRing.Load(_options.Auth);
    }

    public void Dispose()
    {
        _ring.Dispose();
        File.Delete(_keyFile);
        File.Delete(_keyFile + ".pub");
    }

    [Fact]
    public async Task Issued_access_token_validates_with_the_ring_and_pinned_rs256()
    {
        var issuer = new AccessTokenIssuer(_ring, Options.Create(_options), TimeProvider.System);
        var (user, session) = (Guid.NewGuid(), Guid.NewGuid());

        var token = issuer.Issue(user, session, Roles.Moderator);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Token, new TokenValidationParameters
        {
            ValidIssuer = "lobby",
            ValidAudience = "lobby",
            IssuerSigningKeys = _ring.Keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(_ring.Keys[0].KeyId, jwt.Kid);
        Assert.Equal(session.ToString(), jwt.GetClaim("sid").Value);
        Assert.Equal("MODERATOR", jwt.GetClaim("role").Value);
        Assert.Equal(900, token.ExpiresInSeconds);
    }

    [Fact]
    public void Key_ids_are_stable_thumbprints_and_jwks_has_no_private_parts()
    {
        using var again = SigningKeyRing.Load(_options.Auth);
        Assert.Equal(_ring.Keys[0].KeyId, again.Keys[0].KeyId);

        var json = System.Text.Json.JsonSerializer.Serialize(_ring.ToJwks());
        Assert.Contains("\"n\":", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"d\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_key_cannot_be_the_signing_key_but_can_verify()
    {
        var settings = new AuthSettings { SigningKeyFiles = [_keyFile + ".pub"] };
        Assert.Throws<SettingsException>(() => SigningKeyRing.Load(settings));

        using var rotated = SigningKeyRing.Load(new AuthSettings { SigningKeyFiles = [_keyFile, _keyFile + ".pub"] });
        Assert.Equal(2, rotated.Keys.Count);
    }

    [Fact]
    public void A_file_that_is_not_a_key_is_a_settings_error_naming_it()
    {
        var junk = Path.GetTempFileName();
        File.WriteAllText(junk, "not a pem");
        var ex = Assert.Throws<SettingsException>(() => SigningKeyRing.Load(new AuthSettings { SigningKeyFiles = [junk] }));
        Assert.Contains(junk, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_tokens_are_256_bit_base64url_and_successors_are_deterministic_per_secret()
    {
        var token = RefreshTokens.NewToken();
        var refresh = new RefreshTokens(_ring);

        Assert.True(RefreshTokens.LooksValid(token));
        Assert.Equal(32, Base64UrlEncoder.DecodeBytes(token).Length);
        Assert.Equal(refresh.SuccessorOf(token), refresh.SuccessorOf(token));
        Assert.NotEqual(token, refresh.SuccessorOf(token));
        Assert.True(RefreshTokens.LooksValid(refresh.SuccessorOf(token)));
        Assert.Equal(32, RefreshTokens.Hash(token).Length);
    }
}
