using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Foundation;

/// <summary>Secrets in files and a clean start, as the image runs: the real binary, a non-root user where it matters.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(SeparateProcesses.Name)]
public sealed class SecretsAndStartupTests
{

    [Fact]
    public async Task An_unreadable_signing_key_is_reported_as_permission_denied()
    {
        // As root, a root-owned 0600 key is unreadable only to another user: run Lobby as `nobody`.
        // As anyone else, a file with no read permission does the same.
        var folder = Directory.CreateTempSubdirectory("lobby-keys-");
        try
        {
            File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var key = Path.Combine(folder.FullName, "signing.pem");
            File.Copy(TestKeys.PrivateKeyFile, key);
            var asRoot = Environment.UserName == "root";
            File.SetUnixFileMode(key, asRoot ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.None);

            string[] env = ["ASPNETCORE_ENVIRONMENT=Production", "DATABASE_URL=Host=127.0.0.1;Port=9;Database=unused", $"JWT_SIGNING_KEYS={key}",
                "HOME=/tmp", "DOTNET_CLI_HOME=/tmp", "DOTNET_NOLOGO=1"];
            var result = asRoot
                ? await Processes.RunAsync("runuser", ["-u", "nobody", "--", "env", .. env, .. LobbyBinary.Command], TimeSpan.FromSeconds(60))
                : await Processes.RunAsync("env", [.. env, .. LobbyBinary.Command], TimeSpan.FromSeconds(60));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"JWT_SIGNING_KEYS file '{key}' cannot be read: permission denied", result.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("PEM format", result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_database_password_can_come_from_a_file()
    {
        var database = await TestDatabase.CreateMigratedAsync();
        var secret = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(secret, "from-a-file\n");
            var withFile = await LobbyBinary.RunAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = database, ["DATABASE_PASSWORD_FILE"] = secret }, "migrate", "version");
            var missing = await LobbyBinary.RunAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = database, ["DATABASE_PASSWORD_FILE"] = secret + ".missing" }, "migrate", "version");

            Assert.True(withFile.ExitCode == 0, withFile.StdErr);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains($"DATABASE_PASSWORD_FILE '{secret}.missing' does not exist", missing.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task A_start_without_a_writable_home_logs_no_data_protection_warnings()
    {
        var database = await TestDatabase.CreateMigratedAsync();
        try
        {
            // The image's user has no home folder, and its root filesystem is read-only.
            await using var lobby = await LobbyProcess.StartAsync(database, new Dictionary<string, string?>
            {
                ["HOME"] = "/nonexistent/lobby-home",
                ["LOG_LEVEL"] = "Information",
            });
            await lobby.WaitForOutputAsync(l => l.Contains("Application started", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

            Assert.DoesNotContain(lobby.Output, l => l.Contains("DataProtection", StringComparison.Ordinal));
            Assert.DoesNotContain(lobby.Output, l => l.Contains("\"@l\":\"Warning\"", StringComparison.Ordinal));
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }
}
