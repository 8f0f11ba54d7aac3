using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Foundation;

/// <summary>The binary as operators run it: its commands, exit codes and startup checks.</summary>
public sealed class CommandLineTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private static readonly Dictionary<string, string?> NoSettings = [];

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("migrate", "sideways")]
    [InlineData("migrate")]
    [InlineData("migrate", "up-to")]
    [InlineData("migrate", "up-to", "abc")]
    [InlineData("migrate", "up", "extra")]
    public async Task Unknown_command_or_verb_prints_usage_and_exits_2(params string[] args)
    {
        var result = await LobbyBinary.RunAsync(NoSettings, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage: Lobby.Api", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        var result = await LobbyBinary.RunAsync(NoSettings, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("migrate up-to VERSION", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("healthcheck", result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "DATABASE_URL is not set")]
    [InlineData("postgres://", "DATABASE_URL")]
    [InlineData("Host=;Bogus Key=1", "DATABASE_URL")]
    public async Task Serve_with_a_missing_or_bad_database_url_exits_with_one_line_naming_it(string? url, string expected)
    {
        var result = await LobbyBinary.RunAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = url });

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LOG_LEVEL", "loud")]
    [InlineData("DATABASE_MAX_POOL_SIZE", "many")]
    [InlineData("MIGRATE_ON_STARTUP", "perhaps")]
    [InlineData("CORS_ORIGINS", "*")]
    public async Task Serve_with_a_malformed_setting_exits_with_one_line_naming_it(string key, string value)
    {
        var result = await LobbyBinary.RunAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = factory.ConnectionString,
            ["JWT_SIGNING_KEYS"] = TestKeys.PrivateKeyFile,
            [key] = value,
        });

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(key, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_without_database_url_exits_1_naming_it()
    {
        var result = await LobbyBinary.RunAsync(NoSettings, "migrate", "status");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("DATABASE_URL", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_fails_when_nothing_listens()
    {
        var result = await LobbyBinary.RunAsync(NoSettings, "healthcheck", $"http://127.0.0.1:{FreePort()}");
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task Served_binary_passes_its_own_healthcheck_and_sends_no_server_banner()
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = LobbyBinary.StartInfo();
        info.Environment["DATABASE_URL"] = factory.ConnectionString;
        info.Environment["ASPNETCORE_URLS"] = url;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["JWT_SIGNING_KEYS"] = TestKeys.PrivateKeyFile;
        using var server = Process.Start(info)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var healthy = false;
            for (var attempt = 0; attempt < 60 && !healthy && !server.HasExited; attempt++)
            {
                healthy = (await LobbyBinary.RunAsync(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = url }, "healthcheck")).ExitCode == 0;
            }

            Assert.True(healthy, "the served binary never passed its healthcheck");
            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri($"{url}/health/live"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Server"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
