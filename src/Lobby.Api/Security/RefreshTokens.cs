using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.Api.Security;

/// <summary>
/// Opaque refresh tokens: 256 random bits, stored only as a SHA-256 hash (they carry full
/// entropy, so a slow hash would add nothing). A rotated token's successor is an HMAC of it
/// under a server secret: two tabs refreshing with the same token at once get the same
/// successor, so the session keeps one chain and nothing reversible is stored.
/// </summary>
internal sealed class RefreshTokens(SigningKeyRing keys)
{
    public const int MaxLength = 100;

    public static string NewToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    public string SuccessorOf(string token) =>
        Base64UrlEncoder.Encode(HMACSHA256.HashData(keys.RefreshTokenSecret, Encoding.ASCII.GetBytes(token)));

    /// <summary>Shape check before any lookup: 43 base64url characters.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
