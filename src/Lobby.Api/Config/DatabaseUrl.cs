using Npgsql;

namespace Lobby.Api.Config;

/// <summary>
/// Turns DATABASE_URL into an Npgsql connection string. Accepts the URL form that
/// Heroku-style platforms and libpq use (postgres://user:pass@host:port/db?sslmode=require)
/// and a plain Npgsql connection string.
/// </summary>
internal static class DatabaseUrl
{
    /// <summary>
    /// The connection string for DATABASE_URL. <paramref name="passwordFile"/> (DATABASE_PASSWORD_FILE)
    /// names a file holding the password, as Docker and Compose secrets provide it; it replaces
    /// any password in the URL, so the password need not sit in any container's environment.
    /// </summary>
    public static string ToConnectionString(string value, string? passwordFile = null)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            throw new SettingsException("DATABASE_URL is empty: set it to postgres://user:password@host:5432/database or an Npgsql connection string");
        }

        var builder = text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(text)
            : FromConnectionString(text);

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new SettingsException("DATABASE_URL names no host: expected postgres://user:password@host:5432/database");
        }

        if (!string.IsNullOrWhiteSpace(passwordFile))
        {
            builder.Password = SecretFile.Read("DATABASE_PASSWORD_FILE", passwordFile.Trim());
        }

        // GSS encryption is tried first by default, which loads libgssapi_krb5: absent from the
        // chiseled image, so every first connection logged "Cannot load library". Lobby uses
        // password or TLS authentication; a URL or connection string may still ask for GSS.
        if (!builder.ConnectionString.Contains("GSS Encryption Mode", StringComparison.OrdinalIgnoreCase))
        {
            builder.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        return builder.ConnectionString;
    }

    private static NpgsqlConnectionStringBuilder FromConnectionString(string text)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException ex)
        {
            throw new SettingsException($"DATABASE_URL is neither a postgres:// URL nor a valid connection string ({FirstLine(ex.Message)})");
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new SettingsException("DATABASE_URL is not a valid URL: expected postgres://user:password@host:5432/database");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var val = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            try
            {
                // libpq spells a few keys differently from Npgsql.
                switch (key.ToLowerInvariant())
                {
                    case "sslmode":
                        builder.SslMode = Enum.Parse<SslMode>(val.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
                        break;
                    case "connect_timeout":
                        builder.Timeout = int.Parse(val, System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "application_name":
                        builder.ApplicationName = val;
                        break;
                    case "gssencmode":
                        builder.GssEncryptionMode = Enum.Parse<GssEncryptionMode>(val, ignoreCase: true);
                        break;
                    default:
                        builder[key] = val;
                        break;
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
            {
                throw new SettingsException($"DATABASE_URL has an unsupported or malformed query parameter '{key}'");
            }
        }

        return builder;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
