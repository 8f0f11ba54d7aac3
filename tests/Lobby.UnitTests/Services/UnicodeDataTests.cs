using ICU4N.Globalization;
using ICU4N.Text;
using Lobby.Api.Services.Auth;

namespace Lobby.UnitTests.Services;

/// <summary>
/// Lobby ships the Unicode data of its identifier rules itself (Native AOT cannot load ICU4N's
/// satellite assembly); these compare it with ICU4N, which the JIT test run can still load.
/// A failure means scripts/unicode-tables.sh was not rerun after an ICU4N change.
/// </summary>
public sealed class UnicodeDataTests
{
    [Fact]
    public void Script_table_matches_ICU4N_on_every_code_point()
    {
        var differing = new List<string>();
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            var expected = UScript.GetScript(cp);
            var actual = UnicodeScripts.Of(cp);
            if (actual != expected && differing.Count < 10)
            {
                differing.Add($"U+{cp:X4}: {actual} instead of {expected}");
            }
        }

        Assert.Empty(differing);
    }

    [Fact]
    public void Shipped_NFKC_Casefold_data_folds_every_code_point_as_ICU4N_does()
    {
        var differing = new List<string>();
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var text = char.ConvertFromUtf32(cp);
            var expected = Normalizer2.NFKCCaseFoldInstance.Normalize(text);
            var actual = CredentialRules.NfkcCasefold.Normalize(text);
            if (actual != expected && differing.Count < 10)
            {
                differing.Add($"U+{cp:X4}");
            }
        }

        Assert.Empty(differing);
    }

    [Theory]
    [InlineData("e\u0301")]
    [InlineData("A\u030A\u0323")]
    [InlineData("\u1100\u1161\u11A8")]
    [InlineData("\u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3")]
    [InlineData("\uFB01\u00DF\u212B\u2460\u3300")]
    public void Shipped_NFKC_Casefold_data_composes_sequences_as_ICU4N_does(string text) =>
        Assert.Equal(Normalizer2.NFKCCaseFoldInstance.Normalize(text), CredentialRules.NfkcCasefold.Normalize(text));

    [Theory]
    [InlineData(-1)]
    [InlineData(0x110000)]
    public void Script_lookup_refuses_what_is_not_a_code_point(int codePoint) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => UnicodeScripts.Of(codePoint));
}
