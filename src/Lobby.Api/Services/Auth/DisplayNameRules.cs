using System.Globalization;
using System.Text;
using ICU4N.Globalization;

namespace Lobby.Api.Services.Auth;

/// <summary>
/// What makes a display name impersonate someone or look empty, beyond the shared text rules:
/// characters that render as nothing, names with nothing visible at all, and look-alikes that mix
/// scripts (Cyrillic "а" inside a Latin "admin"). Mixed scripts are refused, not marked, because no
/// client could be trusted to show the mark (docs/decisions/0013-identifiers.md).
/// </summary>
internal static class DisplayNameRules
{
    // Letters by category that draw nothing: the Hangul fillers, and the blank Braille pattern
    // (a symbol). Each passes a "has a letter or symbol" test while showing empty space.
    private static readonly HashSet<int> Blank = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800];

    // Scripts that may appear together in one name (UTS #39 §5.2, "Moderately Restrictive").
    private static readonly int[][] AllowedTogether =
    [
        [UScript.Latin, UScript.Han, UScript.Hiragana, UScript.Katakana],
        [UScript.Latin, UScript.Han, UScript.Bopomofo],
        [UScript.Latin, UScript.Han, UScript.Hangul],
    ];

    // Latin with one other script is fine, except the scripts whose letters copy Latin ones.
    private static readonly HashSet<int> LatinLookAlikes = [UScript.Cyrillic, UScript.Greek, UScript.Cherokee];

    /// <summary>Null when the name is acceptable; otherwise why not (to follow "Display name ").</summary>
    public static string? Problem(string name)
    {
        var visible = false;
        var scripts = new HashSet<int>();
        foreach (var rune in name.EnumerateRunes())
        {
            if (Blank.Contains(rune.Value))
            {
                return "contains a character that shows as blank space.";
            }

            visible |= IsVisible(rune);
            var script = UnicodeScripts.Of(rune.Value);
            if (script is not (UScript.Common or UScript.Inherited or UScript.Unknown))
            {
                scripts.Add(script);
            }
        }

        if (!visible)
        {
            return "must contain at least one visible character.";
        }

        return MixesScripts(scripts) ? "mixes letters of different scripts that look alike (for example Latin and Cyrillic)." : null;
    }

    private static bool IsVisible(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
        // A combining mark needs a base to show on.
        UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark => false,
        _ => true,
    };

    private static bool MixesScripts(HashSet<int> scripts)
    {
        if (scripts.Count <= 1 || AllowedTogether.Any(set => scripts.IsSubsetOf(set)))
        {
            return false;
        }

        return !(scripts.Count == 2 && scripts.Contains(UScript.Latin) && !scripts.Overlaps(LatinLookAlikes));
    }
}
