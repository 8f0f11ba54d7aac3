using Lobby.Api.Services;

namespace Lobby.UnitTests.Services;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("plain text", false, null)]
    [InlineData("emoji 🚀 ok", false, null)]
    [InlineData("nul\u0000", false, "NUL")]
    [InlineData("bell\u0007", false, "control")]
    [InlineData("two\nlines", false, "control")]
    [InlineData("two\nlines", true, null)]
    [InlineData("rtl\u202Eoverride", false, "invisible")]
    [InlineData("zero\u200Bwidth", false, "invisible")]
    public void Malformed_text_is_named(string text, bool allowLineBreaks, string? expected)
    {
        var error = TextRules.Malformed(text, allowLineBreaks);
        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Lone_or_reversed_surrogates_are_named()
    {
        // Built in code: test-case serialisation would replace a lone surrogate with U+FFFD.
        var lone = "lone " + (char)0xD800 + " surrogate";
        var reversed = "reversed " + (char)0xDC00 + (char)0xD800 + " pair";

        Assert.Contains("surrogate", TextRules.Malformed(lone, allowLineBreaks: true), StringComparison.Ordinal);
        Assert.Contains("surrogate", TextRules.Malformed(reversed, allowLineBreaks: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Length_counts_scalar_values() => Assert.Equal(3, TextRules.Length("a🚀é"));
}
