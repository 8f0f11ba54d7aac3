using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>
/// The real application on its own freshly migrated database, one per test class
/// (IClassFixture). Requests go through the whole pipeline.
/// </summary>
public class LobbyFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("Factory not initialised");

    /// <summary>What the server logged, instead of stdout; a failing test prints its share (FailedTestOutput).</summary>
    public ServerLogSink Logs { get; } = new();

    /// <summary>Extra settings a derived fixture wants, as environment variable names and values.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync() => _connectionString = await CreateDatabaseAsync();

    protected virtual Task<string> CreateDatabaseAsync() => TestDatabase.CreateMigratedAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATABASE_URL", ConnectionString);
        builder.UseSetting("MIGRATE_ON_STARTUP", "false");
        builder.UseSetting("LOG_LEVEL", "Warning");
        builder.UseSetting("JWT_SIGNING_KEYS", TestKeys.PrivateKeyFile);
        // Every test request comes from one address; classes that test the limits lower them.
        builder.UseSetting("AUTH_RATE_LIMIT_PER_IP", "1000000");
        builder.UseSetting("AUTH_RATE_LIMIT_PER_EMAIL", "1000000");
        builder.UseSetting("AUTH_RATE_LIMIT_PER_EMAIL_AND_IP", "1000000");
        foreach (var limit in LobbyProcess.PerUserLimits)
        {
            builder.UseSetting(limit, "1000000");
        }

        // Every response the tests produce is checked against the committed OpenAPI contract.
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<IStartupFilter, ContractCheckStartupFilter>();
            s.AddSingleton<Serilog.Core.ILogEventSink>(Logs);
            // Requests run in the test's async flow, so their log lines reach that test's ServerLogBuffer.
            s.Configure<TestServerOptions>(o => o.PreserveExecutionContext = true);
        });
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_connectionString is not null)
        {
            await TestDatabase.DropAsync(_connectionString);
        }
    }
}
