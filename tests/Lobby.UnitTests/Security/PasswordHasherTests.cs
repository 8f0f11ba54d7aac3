using Lobby.Api.Security;

namespace Lobby.UnitTests.Security;

public sealed class PasswordHasherTests
{
    private readonly PasswordHasher _hasher = new(Argon2Cost.Owasp);

    [Fact]
    public void Default_cost_meets_owasp_minimums()
    {
        Assert.True(Argon2Cost.Owasp.MemoryKib >= 19 * 1024);
        Assert.True(Argon2Cost.Owasp.Iterations >= 2);
    }

    [Fact]
    public void Hash_is_a_salted_argon2id_phc_string()
    {
        var a = _hasher.Hash("correct horse battery staple");
        var b = _hasher.Hash("correct horse battery staple");

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Verify_accepts_the_password_and_rejects_others()
    {
        var hash = _hasher.Hash("correct horse battery staple");

        Assert.Equal(PasswordCheck.Match, _hasher.Verify("correct horse battery staple", hash));
        Assert.Equal(PasswordCheck.Mismatch, _hasher.Verify("correct horse battery stapler", hash));
        Assert.Equal(PasswordCheck.Mismatch, _hasher.Verify("", hash));
    }

    [Fact]
    public void A_hash_made_at_a_lower_cost_verifies_but_asks_for_a_rehash()
    {
        var old = new PasswordHasher(Argon2Cost.Owasp).Hash("pw-for-rehash");
        var stronger = new PasswordHasher(new Argon2Cost(Argon2Cost.Owasp.MemoryKib, 3));

        Assert.Equal(PasswordCheck.MatchNeedsRehash, stronger.Verify("pw-for-rehash", old));
        Assert.Contains("t=3", stronger.Hash("pw-for-rehash"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=x,t=2,p=1$c2FsdA$aGFzaA")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$!!!$???")]
    public void Malformed_hashes_never_verify(string phc) =>
        Assert.Equal(PasswordCheck.Mismatch, _hasher.Verify("anything", phc));
}
