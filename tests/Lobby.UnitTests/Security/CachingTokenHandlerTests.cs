using Lobby.Api.Config;
using Lobby.Api.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.UnitTests.Security;

public sealed class CachingTokenHandlerTests : IDisposable
{
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"lobby-unit-{Guid.NewGuid():N}.pem");
    private readonly SigningKeyRing _ring;
    private readonly AccessTokenIssuer _issuer;
    private readonly Clock _clock = new();
    private int _signatureChecks;

    public CachingTokenHandlerTests()
    {
        SigningKeyRing.WriteNewKeyPair(_keyFile);
        var options = new LobbyOptions();
        options.Auth.SigningKeyFiles = [_keyFile];
        _ring = SigningKeyRing.Load(options.Auth);
        _issuer = new AccessTokenIssuer(_ring, Options.Create(options), TimeProvider.System);
    }

    public void Dispose()
    {
        _ring.Dispose();
        File.Delete(_keyFile);
        File.Delete(_keyFile + ".pub");
    }

    [Fact]
    public async Task The_same_token_is_verified_once_and_each_request_gets_its_own_identity()
    {
        var handler = new CachingTokenHandler(100, _clock);
        var token = _issuer.Issue(Guid.NewGuid(), Guid.NewGuid(), Roles.User).Token;

        var first = await handler.ValidateTokenAsync(token, Counting());
        var second = await handler.ValidateTokenAsync(token, Counting());

        Assert.True(first.IsValid, first.Exception?.Message);
        Assert.True(second.IsValid);
        Assert.Equal(1, _signatureChecks);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(first.ClaimsIdentity.FindFirst("sid")?.Value, second.ClaimsIdentity.FindFirst("sid")?.Value);
    }

    [Fact]
    public async Task A_token_differing_in_one_byte_is_validated_afresh_and_refused()
    {
        var handler = new CachingTokenHandler(100, _clock);
        var token = _issuer.Issue(Guid.NewGuid(), Guid.NewGuid(), Roles.User).Token;
        Assert.True((await handler.ValidateTokenAsync(token, RealKeys())).IsValid);

        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        Assert.False((await handler.ValidateTokenAsync(tampered, RealKeys())).IsValid);
        Assert.True((await handler.ValidateTokenAsync(token, RealKeys())).IsValid);
    }

    [Fact]
    public async Task A_remembered_token_past_its_expiry_is_validated_again()
    {
        var handler = new CachingTokenHandler(100, _clock);
        var token = _issuer.Issue(Guid.NewGuid(), Guid.NewGuid(), Roles.User).Token;
        await handler.ValidateTokenAsync(token, Counting());

        _clock.Now = DateTimeOffset.UtcNow.AddHours(1);
        await handler.ValidateTokenAsync(token, Counting());

        Assert.Equal(2, _signatureChecks);
    }

    [Fact]
    public async Task Capacity_bounds_what_is_remembered_and_zero_turns_it_off()
    {
        var off = new CachingTokenHandler(0, _clock);
        var token = _issuer.Issue(Guid.NewGuid(), Guid.NewGuid(), Roles.User).Token;
        await off.ValidateTokenAsync(token, Counting());
        await off.ValidateTokenAsync(token, Counting());
        Assert.Equal(2, _signatureChecks);

        _signatureChecks = 0;
        var one = new CachingTokenHandler(1, _clock);
        var other = _issuer.Issue(Guid.NewGuid(), Guid.NewGuid(), Roles.User).Token;
        await one.ValidateTokenAsync(token, Counting());
        await one.ValidateTokenAsync(other, Counting()); // full: not remembered
        await one.ValidateTokenAsync(other, Counting());
        await one.ValidateTokenAsync(token, Counting()); // still remembered
        Assert.Equal(3, _signatureChecks);
    }

    private TokenValidationParameters RealKeys() => new()
    {
        ValidIssuer = "lobby",
        ValidAudience = "lobby",
        IssuerSigningKeys = _ring.Keys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
    };

    // Counts signature checks by doing them itself, with the real keys.
    private TokenValidationParameters Counting()
    {
        var parameters = RealKeys();
        parameters.SignatureValidator = (token, _) =>
        {
            Interlocked.Increment(ref _signatureChecks);
            var jwt = new JsonWebToken(token);
            var key = (RsaSecurityKey)_ring.Keys.Single(k => k.KeyId == jwt.Kid);
            var signed = System.Text.Encoding.ASCII.GetBytes(jwt.EncodedHeader + "." + jwt.EncodedPayload);
            var ok = key.Rsa.VerifyData(signed, Base64UrlEncoder.DecodeBytes(jwt.EncodedSignature),
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            return ok ? jwt : throw new SecurityTokenInvalidSignatureException("bad signature");
        };
        return parameters;
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
