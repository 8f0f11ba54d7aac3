using System.Buffers;
using System.Globalization;
using System.Text;

namespace Lobby.Api.Services;

/// <summary>
/// Checks shared by every text field. PostgreSQL cannot store NUL, UTF-8 cannot encode a lone
/// surrogate, and invisible format characters (bidi overrides, zero-width) make names spoof others;
/// all are refused with a 400 here rather than failing deeper down.
/// </summary>
internal static class TextRules
{
    /// <summary>Length in characters (Unicode scalar values), what users and PostgreSQL's char_length count.</summary>
    public static int Length(string text) => text.EnumerateRunes().Count();

    /// <summary>
    /// The explicit directional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI,
    /// RLI, FSI, PDI). They carry state past their own text, so one in a message can reorder what
    /// is shown after it ("Trojan Source", CVE-2021-42574). The marks LRM, RLM and ALM carry none
    /// and stay allowed, as do ZWJ (emoji) and ZWNJ (Persian, Indic scripts).
    /// </summary>
    public static bool HasBidiControl(string text) =>
        text.AsSpan().IndexOfAnyInRange('\u202A', '\u202E') >= 0 || text.AsSpan().IndexOfAnyInRange('\u2066', '\u2069') >= 0;

    /// <summary>Null when the text is well-formed; otherwise what is wrong with it.</summary>
    public static string? Malformed(string text, bool allowLineBreaks = false, bool allowFormatCharacters = false)
    {
        var span = text.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out var rune, out var used) != OperationStatus.Done)
            {
                return "contains an invalid character (a lone UTF-16 surrogate).";
            }

            if (rune.Value == 0)
            {
                return "contains a NUL character.";
            }

            var isBreak = rune.Value is '\n' or '\r' or '\t';
            if (Rune.IsControl(rune) && !(allowLineBreaks && isBreak))
            {
                return "contains a control character.";
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (!allowFormatCharacters && category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return "contains an invisible formatting character.";
            }

            span = span[used..];
        }

        return null;
    }
}
