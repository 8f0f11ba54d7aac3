using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Lobby.Api.Config;
using Lobby.Api.Store.Migrations;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Foundation;

/// <summary>Stops and restarts a real PostgreSQL server under a running Lobby.</summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private LocalCluster _cluster = null!;
    private LobbyFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync();
        var cs = DatabaseUrl.ToConnectionString(_cluster.Url);
        await new SchemaMigrator(cs, MigrationCatalog.Embedded).UpAsync(CancellationToken.None);
        _factory = new ClusterLobbyFactory(cs);
        await _factory.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Ready_turns_503_within_2s_while_the_database_is_down_and_recovers_without_restart()
    {
        using var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        var user = await AuthApi.RegisterAsync(client);

        await _cluster.StopAsync();

        // Requests that need the database fail fast with 503 problem+json, never a 500 or a hang.
        using (var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.User.Email, password = AuthApi.Password }))
        {
            await Problems.AssertProblemAsync(login, 503);
            Assert.NotNull(login.Headers.RetryAfter);
        }

        using (var authed = await AuthApi.GetAsync(client, "/api/v1/users/me", user.AccessToken))
        {
            await Problems.AssertProblemAsync(authed, 503);
        }

        // The 2 s bound is the probe's contract (Docker and load balancers time out), not a benchmark.
        // The suite runs its hosts side by side on two cores, so one probe may wait for a thread:
        // of three probes the fastest must keep the bound; a probe that hangs on the database
        // would miss it every time.
        var took = new List<TimeSpan>();
        for (var probe = 0; probe < 3 && (took.Count == 0 || took.Min() >= TimeSpan.FromSeconds(2)); probe++)
        {
            var watch = Stopwatch.StartNew();
            using var down = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            watch.Stop();
            took.Add(watch.Elapsed);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Contains("database", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.True(took.Min() < TimeSpan.FromSeconds(2), $"ready took {string.Join(", ", took)}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

        await _cluster.RestartAsync();

        // pg_ctl -w returned, so the server accepts connections; Lobby must notice on its own.
        var recovered = false;
        for (var attempt = 0; attempt < 20 && !recovered; attempt++)
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            recovered = response.StatusCode == HttpStatusCode.OK;
            if (!recovered)
            {
                await Task.Delay(250);
            }
        }

        Assert.True(recovered, "ready did not return to 200 after the database came back");
        using var after = await AuthApi.GetAsync(client, "/api/v1/users/me", user.AccessToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private sealed class ClusterLobbyFactory(string connectionString) : LobbyFactory
    {
        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);
    }
}
