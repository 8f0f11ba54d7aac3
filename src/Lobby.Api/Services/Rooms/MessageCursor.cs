using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Lobby.Api.Services.Rooms;

/// <summary>
/// The opaque cursor of a message page: a direction (older or newer) and the seq to continue
/// from. Opaque so its form can change; a seq is what it holds, so it stays valid forever.
/// </summary>
internal static class MessageCursor
{
    public static string Encode(bool newer, long seq) =>
        WebEncoders.Base64UrlEncode(Encoding.ASCII.GetBytes((newer ? "a" : "b") + seq.ToString(CultureInfo.InvariantCulture)));

    public static (bool Newer, long Seq)? Decode(string cursor)
    {
        if (cursor.Length > 32)
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.ASCII.GetString(WebEncoders.Base64UrlDecode(cursor));
        }
        catch (FormatException)
        {
            return null;
        }

        return text.Length >= 2 && text[0] is 'a' or 'b'
            && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
                ? (text[0] == 'a', seq)
                : null;
    }
}
