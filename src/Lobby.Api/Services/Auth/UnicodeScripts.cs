namespace Lobby.Api.Services.Auth;

/// <summary>
/// The Unicode Script property of a code point, as ICU4N's <c>UScript.GetScript</c> answers it, from a
/// table generated out of ICU4N (scripts/unicode-tables.sh). ICU4N reads that data from a satellite
/// assembly, which Native AOT cannot load (docs/decisions/0021-unicode-data-without-satellites.md).
/// </summary>
internal static partial class UnicodeScripts
{
    /// <summary>ICU's script code of <paramref name="codePoint"/> (compare with <c>ICU4N.Globalization.UScript</c> constants).</summary>
    public static int Of(int codePoint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePoint);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codePoint, 0x10FFFF);

        // The last range starting at or before the code point; the first range starts at 0.
        var index = RangeStarts.BinarySearch(codePoint);
        return RangeScripts[index >= 0 ? index : ~index - 1];
    }
}
