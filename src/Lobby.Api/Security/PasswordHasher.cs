using System.Globalization;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace Lobby.Api.Security;

/// <summary>Argon2id cost parameters; memory in KiB. OWASP's floor is m=19456, t=2, p=1.</summary>
internal sealed record Argon2Cost(int MemoryKib, int Iterations)
{
    public static readonly Argon2Cost Owasp = new(19 * 1024, 2);
}

/// <summary>
/// Argon2id through NSec's bundled libsodium (about 4x faster than managed ports here, so the
/// same latency buys a stronger hash). Hashes are PHC strings, so the cost can be raised
/// later and old hashes still verify; <see cref="Verify"/> says when one should be redone.
/// </summary>
internal sealed class PasswordHasher(Argon2Cost cost)
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public Argon2Cost Cost => cost;

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, cost, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={cost.MemoryKib},t={cost.Iterations},p=1${B64(salt)}${B64(hash)}");
    }

    /// <summary>Checks a password against a PHC string in constant time.</summary>
    public PasswordCheck Verify(string password, string phc)
    {
        if (!TryParse(phc, out var stored, out var salt, out var expected))
        {
            return PasswordCheck.Mismatch;
        }

        var actual = Derive(password, salt, stored, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Mismatch;
        }

        var weaker = stored.MemoryKib < cost.MemoryKib || stored.Iterations < cost.Iterations;
        return weaker ? PasswordCheck.MatchNeedsRehash : PasswordCheck.Match;
    }

    private static byte[] Derive(string password, byte[] salt, Argon2Cost cost, int length)
    {
        var parameters = new Argon2Parameters
        {
            DegreeOfParallelism = 1, // libsodium supports p=1 only, which is what OWASP specifies
            MemorySize = cost.MemoryKib,
            NumberOfPasses = cost.Iterations,
        };
        return PasswordBasedKeyDerivationAlgorithm.Argon2id(parameters).DeriveBytes(password, salt, length);
    }

    internal static bool TryParse(string phc, out Argon2Cost cost, out byte[] salt, out byte[] hash)
    {
        cost = Argon2Cost.Owasp;
        salt = hash = [];
        // $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
        var parts = phc.Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }

        int m = 0, t = 0, p = 0;
        foreach (var kv in parts[3].Split(','))
        {
            var pair = kv.Split('=');
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            switch (pair[0])
            {
                case "m": m = value; break;
                case "t": t = value; break;
                case "p": p = value; break;
                default: return false;
            }
        }

        if (m < 8 || t < 1 || p != 1)
        {
            return false;
        }

        try
        {
            salt = FromB64(parts[4]);
            hash = FromB64(parts[5]);
        }
        catch (FormatException)
        {
            return false;
        }

        cost = new Argon2Cost(m, t);
        return salt.Length == SaltBytes && hash.Length >= 16;
    }

    // PHC strings use standard base64 without padding.
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string text) =>
        Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}

internal enum PasswordCheck
{
    Mismatch,
    Match,
    MatchNeedsRehash,
}
