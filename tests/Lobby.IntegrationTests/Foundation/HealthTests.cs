using System.Net;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Foundation;

public sealed class HealthTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    [Fact]
    public async Task Live_answers_200()
    {
        using var response = await factory.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok","checks":{}}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Both_probes_answer_json_that_no_cache_keeps(string path)
    {
        using var response = await factory.CreateClient().GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", response.Headers.Pragma.ToString());
        Assert.Equal(DateTimeOffset.UnixEpoch, response.Content.Headers.Expires);
        Assert.True(response.Headers.Contains("X-Request-ID"));
        using var head = await factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task Ready_answers_200_on_a_migrated_database()
    {
        using var response = await factory.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("DELETE", "/health/live")]
    [InlineData("POST", "/health/live")]
    [InlineData("PUT", "/health/ready")]
    [InlineData("PATCH", "/health/ready")]
    public async Task Probes_answer_only_GET_and_HEAD(string method, string path)
    {
        using var client = factory.CreateClient();
        using var wrong = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));
        await Problems.AssertProblemAsync(wrong, 405);
        Assert.Equal(["GET", "HEAD"], wrong.Content.Headers.Allow.Order(StringComparer.Ordinal));

        // Readiness has a 1.5 s budget for the database, which the suite's busy start can exceed
        // once; the database is up here, so a 503 that repeats is a real failure.
        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 5 && status == HttpStatusCode.ServiceUnavailable; attempt++)
        {
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)));
            status = head.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }
}

/// <summary>Lobby pointed at a database no migration has touched.</summary>
public sealed class UnmigratedLobbyFactory : LobbyFactory
{
    protected override Task<string> CreateDatabaseAsync() => TestDatabase.CreateEmptyAsync();
}

public sealed class UnmigratedHealthTests(UnmigratedLobbyFactory factory) : IClassFixture<UnmigratedLobbyFactory>
{
    [Fact]
    public async Task Ready_answers_503_naming_the_schema_when_migrations_are_pending()
    {
        var client = factory.CreateClient();
        HttpResponseMessage response;
        JsonElement database;
        var attempt = 0;
        do
        {
            // The probe's 1.5 s budget can run out on the first connection to a new database while
            // the whole suite starts at once; what is asserted is its answer once the database answered.
            response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            database = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("database");
        }
        while (++attempt < 5 && database.GetProperty("detail").GetString()!.Contains("did not answer", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("failing", database.GetProperty("status").GetString());
        Assert.Contains("no migrations applied", database.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_stays_200_when_not_ready()
    {
        using var response = await factory.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
