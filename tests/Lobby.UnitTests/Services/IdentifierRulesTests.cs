using Lobby.Api.Services;
using Lobby.Api.Services.Auth;

namespace Lobby.UnitTests.Services;

public sealed class IdentifierRulesTests
{
    [Theory]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("  Alice@Example.COM ", "alice@example.com")]
    [InlineData("ａｌｉｃｅ@example.com", "alice@example.com")]
    [InlineData("ﬁle@example.com", "file@example.com")]
    [InlineData("\u212Aate@example.com", "kate@example.com")]
    [InlineData("jose\u0301@example.com", "jos\u00e9@example.com")]
    [InlineData("Stra\u00dfe@example.com", "strasse@example.com")]
    public void Email_key_folds_compatibility_spellings_and_case(string email, string key) =>
        Assert.Equal(key, CredentialRules.EmailKey(email));

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("ａｌｉｃｅ@example.com")]
    public void Email_key_is_idempotent(string email) =>
        Assert.Equal(CredentialRules.EmailKey(email), CredentialRules.EmailKey(CredentialRules.EmailKey(email)));

    [Theory]
    [InlineData("Alice", null)]
    [InlineData("Алиса", null)]
    [InlineData("山田 たろう Taro", null)]
    [InlineData("김민준 Kim", null)]
    [InlineData("Ana 🙂", null)]
    [InlineData("Ravi रवि", null)]
    [InlineData("\u3164", "blank")]
    [InlineData("Bob\u3164", "blank")]
    [InlineData("\u2800", "blank")]
    [InlineData("\u0301\u0301", "visible")]
    [InlineData("\u0430dmin", "scripts")]
    [InlineData("\u0391lice", "scripts")]
    [InlineData("Ꭺlice", "scripts")]
    public void Display_names_that_show_nothing_or_mix_look_alike_scripts_are_named(string name, string? problem)
    {
        var found = DisplayNameRules.Problem(name);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("plain", false)]
    [InlineData("rlm \u200F ok", false)]
    [InlineData("zwj 👩\u200D💻", false)]
    [InlineData("rlo \u202E", true)]
    [InlineData("lre \u202A", true)]
    [InlineData("fsi \u2068", true)]
    [InlineData("pdi \u2069", true)]
    public void Bidi_controls_are_found_and_marks_are_not(string text, bool found) =>
        Assert.Equal(found, TextRules.HasBidiControl(text));
}
