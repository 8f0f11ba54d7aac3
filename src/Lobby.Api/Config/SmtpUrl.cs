namespace Lobby.Api.Config;

/// <summary>How the connection to the SMTP server is secured.</summary>
internal enum SmtpSecurity
{
    /// <summary>smtp://: STARTTLS when the server offers it (a local relay or a test sink may not).</summary>
    StartTlsWhenAvailable,

    /// <summary>smtp+starttls://: STARTTLS or no mail at all.</summary>
    StartTls,

    /// <summary>smtps://: TLS from the first byte (port 465).</summary>
    Tls,
}

/// <summary>SMTP_URL: smtp[s|+starttls]://[user[:password]@]host[:port]; user and password are URL-encoded.</summary>
internal sealed record SmtpUrl(string Host, int Port, SmtpSecurity Security, string? User, string? Password)
{
    public static SmtpUrl Parse(string value, string? passwordFile)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new SettingsException("SMTP_URL is not a URL like smtp://user:password@mail.example.com:587 or smtps://mail.example.com:465");
        }

        var security = uri.Scheme.ToLowerInvariant() switch
        {
            "smtp" => SmtpSecurity.StartTlsWhenAvailable,
            "smtp+starttls" => SmtpSecurity.StartTls,
            "smtps" => SmtpSecurity.Tls,
            _ => throw new SettingsException($"SMTP_URL scheme '{uri.Scheme}' is not smtp, smtp+starttls or smtps"),
        };
        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0)
        {
            throw new SettingsException("SMTP_URL has a path or query; give only smtp://user:password@host:port");
        }

        var port = uri.IsDefaultPort || uri.Port <= 0 ? (security == SmtpSecurity.Tls ? 465 : 587) : uri.Port;
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        if (!string.IsNullOrWhiteSpace(passwordFile))
        {
            password = SecretFile.Read("SMTP_PASSWORD_FILE", passwordFile.Trim());
            if (user is null)
            {
                throw new SettingsException("SMTP_PASSWORD_FILE is set but SMTP_URL names no user (smtp://user@host:port)");
            }
        }

        return new SmtpUrl(uri.Host, port, security, user, password);
    }

    // The password never reaches a log line or an exception message.
    public override string ToString() => $"{Security} {Host}:{Port}{(User is null ? "" : " as " + User)}";
}
