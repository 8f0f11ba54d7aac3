using System.Text.Json;
using System.Text.RegularExpressions;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Foundation;

/// <summary>LOG_FORMAT as an operator sees it: the real binary's stdout.</summary>
[Collection(SeparateProcesses.Name)]
public sealed class LogFormatTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Text_format_writes_one_readable_line_per_event_with_the_request_id()
    {
        var database = await TestDatabase.CreateMigratedAsync();
        try
        {
            await using var lobby = await LobbyProcess.StartAsync(database, new Dictionary<string, string?> { ["LOG_FORMAT"] = "text", ["LOG_LEVEL"] = "Information" });
            var id = await GetJwksAsync(lobby);

            var line = await lobby.WaitForOutputAsync(l => l.Contains(id, StringComparison.Ordinal), Wait);
            Assert.Matches(new Regex(@"^\[\d\d:\d\d:\d\d\.\d{3} INF " + id + @"\] HTTP GET /\.well-known/jwks\.json responded 200 in \d+\.\d ms$"), line);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Json_format_writes_compact_json_with_the_request_id()
    {
        var database = await TestDatabase.CreateMigratedAsync();
        try
        {
            await using var lobby = await LobbyProcess.StartAsync(database, new Dictionary<string, string?> { ["LOG_FORMAT"] = "json", ["LOG_LEVEL"] = "Information" });
            var id = await GetJwksAsync(lobby);

            var line = await lobby.WaitForOutputAsync(l => l.Contains(id, StringComparison.Ordinal), Wait);
            using var json = JsonDocument.Parse(line);
            Assert.Equal(id, json.RootElement.GetProperty("RequestId").GetString());
            Assert.Equal("/.well-known/jwks.json", json.RootElement.GetProperty("Route").GetString());
            Assert.Equal(200, json.RootElement.GetProperty("StatusCode").GetInt32());
            Assert.True(json.RootElement.TryGetProperty("@t", out _), line);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    private static async Task<string> GetJwksAsync(LobbyProcess lobby)
    {
        var id = "fmt-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/jwks.json");
        request.Headers.Add("X-Request-ID", id);
        using var response = await lobby.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        return id;
    }
}
