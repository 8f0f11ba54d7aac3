using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace Lobby.IntegrationTests.Foundation;

/// <summary>Lobby logging at Information, with a route at the end of the pipeline that throws.</summary>
public sealed class LoggingLobbyFactory : LobbyFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LOG_LEVEL"] = "Information" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ThrowingRoute>());
    }

    private sealed class ThrowingRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map("/test/throw", b => b.Run(_ => throw new InvalidOperationException("logged with its request id")));
        };
    }
}

/// <summary>What a request leaves in the log, read from the events the server's Serilog pipeline produced.</summary>
public sealed class RequestLoggingTests(LoggingLobbyFactory factory) : IClassFixture<LoggingLobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_line_with_the_stack_trace_carries_the_request_id_the_response_carries()
    {
        var id = "trace-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/test/throw");
        request.Headers.Add("X-Request-ID", id);
        using var response = await _client.SendAsync(request);
        await Problems.AssertProblemAsync(response, 500);

        var failure = Assert.Single(factory.Logs.Events, e => e.Exception?.Message == "logged with its request id");
        Assert.Equal(LogEventLevel.Error, failure.Level);
        Assert.Equal(id, Scalar(failure, "RequestId"));
        var summary = Assert.Single(factory.Logs.Events, e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal) && Scalar(e, "RequestId") == id);
        Assert.Equal(500, int.Parse(Scalar(summary, "StatusCode")!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_request_that_fails_in_its_service_logs_its_route_template()
    {
        var id = "route-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register")
        {
            Content = JsonContent.Create(new { email = "not-an-email", password = "x", displayName = "" }),
        };
        request.Headers.Add("X-Request-ID", id);
        using var response = await _client.SendAsync(request);
        await Problems.AssertProblemAsync(response, 400);

        var summary = Assert.Single(factory.Logs.Events, e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal) && Scalar(e, "RequestId") == id);
        Assert.Equal("/api/v1/auth/register", Scalar(summary, "Route"));
    }

    [Fact]
    public async Task The_server_lines_of_a_test_go_to_that_tests_buffer_not_to_stdout()
    {
        var buffer = ServerLogBuffer.Current;
        Assert.NotNull(buffer);
        var id = "buffer-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/test/throw");
        request.Headers.Add("X-Request-ID", id);
        using var response = await _client.SendAsync(request);

        var lines = buffer.Peek();
        Assert.Contains($"ERR {id}] Lobby.Api.Http.Errors.ProblemExceptionHandler", lines, StringComparison.Ordinal);
        Assert.Contains("logged with its request id", lines, StringComparison.Ordinal);
    }

    internal static string? Scalar(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: var v } ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>A class of its own: it drops its database.</summary>
public sealed class OutageLoggingTests(LoggingLobbyFactory factory) : IClassFixture<LoggingLobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task When_the_database_goes_away_every_line_of_the_request_carries_its_id_and_route()
    {
        var user = await AuthApi.RegisterAsync(_client);
        await TestDatabase.DropAsync(factory.ConnectionString);
        var id = "outage-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { email = user.User.Email, password = AuthApi.Password }),
        };
        request.Headers.Add("X-Request-ID", id);
        using var response = await _client.SendAsync(request);
        Assert.True((int)response.StatusCode >= 500, $"status {(int)response.StatusCode}");

        // The handler's own line (a warning for 503, an error with the stack trace for 500).
        var handler = factory.Logs.Events.Where(e => RequestLoggingTests.Scalar(e, "SourceContext") == "Lobby.Api.Http.Errors.ProblemExceptionHandler").ToList();
        Assert.NotEmpty(handler);
        Assert.All(handler, e => Assert.Equal(id, RequestLoggingTests.Scalar(e, "RequestId")));
        var summary = Assert.Single(factory.Logs.Events, e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal) && RequestLoggingTests.Scalar(e, "RequestId") == id);
        Assert.Equal("/api/v1/auth/login", RequestLoggingTests.Scalar(summary, "Route"));
    }
}
