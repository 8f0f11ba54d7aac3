namespace Lobby.Api.Config;

/// <summary>
/// Settings that name a file holding a secret (the *_FILE convention of the official postgres
/// image, and where Docker and Compose mount `secrets:`), read once at startup. A failure says
/// which setting and why, "permission denied" included, since secrets are often 0600 files.
/// </summary>
internal static class SecretFile
{
    public static string Read(string setting, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new SettingsException($"{setting} '{path}' cannot be read: permission denied ({RunningAs()})");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SettingsException($"{setting} '{path}' does not exist");
        }
        catch (IOException ex)
        {
            throw new SettingsException($"{setting} '{path}' cannot be read: {ex.Message}");
        }

        // `echo secret > file` leaves a newline that is not part of the secret.
        var secret = text.TrimEnd('\r', '\n');
        if (secret.Length == 0)
        {
            throw new SettingsException($"{setting} '{path}' is empty");
        }

        return secret;
    }

    /// <summary>Who the process runs as, for a permission error: the fix is to make the file readable by that user.</summary>
    public static string RunningAs() =>
        OperatingSystem.IsLinux() ? $"running as uid {UnixUid()}" : $"running as {Environment.UserName}";

    private static string UnixUid()
    {
        try
        {
            // /proc/self/status has "Uid: real effective saved fs".
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return line?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2) ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
