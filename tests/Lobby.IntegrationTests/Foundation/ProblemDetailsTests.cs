using System.Net.Http.Headers;
using Lobby.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lobby.IntegrationTests.Foundation;

/// <summary>Lobby with one extra route at the end of the pipeline that throws, to see what a bug looks like from outside.</summary>
public sealed class ThrowingLobbyFactory : LobbyFactory
{
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
            app.Map("/test/throw", b => b.Run(_ => throw new InvalidOperationException("secret internal detail at Lobby.Internal.Thing")));
        };
    }
}

public sealed class ProblemDetailsTests(ThrowingLobbyFactory factory) : IClassFixture<ThrowingLobbyFactory>
{
    [Fact]
    public async Task Unknown_route_is_404_problem()
    {
        using var response = await factory.CreateClient().GetAsync(new Uri("/api/v1/nothing-here", UriKind.Relative));
        var body = await Problems.AssertProblemAsync(response, 404);
        Assert.Equal("/api/v1/nothing-here", body.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Declared_body_over_the_limit_is_413_problem()
    {
        using var content = new ByteArrayContent(new byte[70 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await factory.CreateClient().PostAsync(new Uri("/health/live", UriKind.Relative), content);

        var body = await Problems.AssertProblemAsync(response, 413);
        Assert.Contains("65536 bytes", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unhandled_exception_is_500_problem_without_internals()
    {
        using var response = await factory.CreateClient().GetAsync(new Uri("/test/throw", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        await Problems.AssertProblemAsync(response, 500);
        Assert.DoesNotContain("secret internal detail", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}
