using System.Collections.Frozen;
using System.Net.Mail;
using ICU4N.Text;

namespace Lobby.Api.Services.Auth;

/// <summary>
/// The input rules for accounts: NIST-style passwords (length and a block list, no
/// composition rules), sane emails and display names. Pure, so unit tests cover it directly.
/// </summary>
internal static class CredentialRules
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 64;

    private static readonly FrozenSet<string> CommonPasswords = LoadCommonPasswords();

    public static int CommonPasswordCount => CommonPasswords.Count;

    /// <summary>
    /// The one form an email is stored, compared and rate-limited by: NFKC_Casefold (RFC 8265's
    /// approach: compatibility mapping, then case folding). Fullwidth letters, ligatures, the Kelvin
    /// sign, decomposed accents and case all collapse; the database never folds anything itself.
    /// </summary>
    public static string EmailKey(string email) => NfkcCasefold.Normalize(email.Trim());

    // ICU's own NFKC_Casefold data, loaded from this assembly: ICU4N's built-in instance reads it from a
    // satellite assembly, which Native AOT cannot load (docs/decisions/0021-unicode-data-without-satellites.md).
    internal static Normalizer2 NfkcCasefold { get; } = LoadNfkcCasefold();

    private static Normalizer2 LoadNfkcCasefold()
    {
        using var data = typeof(CredentialRules).Assembly.GetManifestResourceStream("nfkc_cf.nrm")
            ?? throw new InvalidOperationException("The embedded resource nfkc_cf.nrm is missing.");
        return Normalizer2.GetInstance(data, "nfkc_cf", Normalizer2Mode.Compose);
    }

    /// <summary>Trimmed email, or an error message.</summary>
    public static (string? Value, string? Error) Email(string? raw)
    {
        var email = raw?.Trim() ?? "";
        if (email.Length == 0)
        {
            return (null, "Email is required.");
        }

        if (email.Length > MaxEmailLength)
        {
            return (null, $"Email must be at most {MaxEmailLength} characters.");
        }

        if (TextRules.Malformed(email) is not null)
        {
            return (null, "Email must look like name@example.com.");
        }

        // MailAddress accepts display-name forms ("A <a@b>"); require the bare address back.
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var valid = at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1
            && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or '(' or ')' or ',' or ';')
            && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email
            && email[(at + 1)..].Contains('.', StringComparison.Ordinal) && !email.EndsWith('.');
        if (!valid)
        {
            return (null, "Email must look like name@example.com.");
        }

        // Compatibility forms can expand (one ligature, several letters): the key must fit too.
        var key = EmailKey(email);
        return key.Length == 0 || TextRules.Length(key) > MaxEmailLength || !key.Contains('@', StringComparison.Ordinal)
            ? (null, "Email must look like name@example.com.")
            : (email, null);
    }

    /// <summary>Null when the password is acceptable; otherwise why not.</summary>
    public static string? Password(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Password is required.";
        }

        if (TextRules.Malformed(password, allowLineBreaks: false, allowFormatCharacters: true) is { } bad)
        {
            return "Password " + bad;
        }

        // Characters, not UTF-16 units or bytes: an emoji counts once.
        var length = TextRules.Length(password);
        if (length < MinPasswordLength)
        {
            return $"Password must be at least {MinPasswordLength} characters.";
        }

        if (length > MaxPasswordLength)
        {
            return $"Password must be at most {MaxPasswordLength} characters.";
        }

        if (email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return "Password must not be the same as the email.";
        }

        return CommonPasswords.Contains(password)
            ? "Password is too common; choose one that is harder to guess."
            : null;
    }

    /// <summary>Trimmed display name, or an error message.</summary>
    public static (string? Value, string? Error) DisplayName(string? raw)
    {
        var name = raw?.Trim() ?? "";
        if (name.Length == 0)
        {
            return (null, "Display name is required.");
        }

        if (TextRules.Malformed(name) is { } bad)
        {
            return (null, "Display name " + bad);
        }

        if (TextRules.Length(name) > MaxDisplayNameLength)
        {
            return (null, $"Display name must be at most {MaxDisplayNameLength} characters.");
        }

        return DisplayNameRules.Problem(name) is { } spoof ? (null, "Display name " + spoof) : (name, null);
    }

    private static FrozenSet<string> LoadCommonPasswords()
    {
        using var stream = typeof(CredentialRules).Assembly.GetManifestResourceStream("common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line);
            }
        }

        return set.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
