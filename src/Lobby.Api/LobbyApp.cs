using Lobby.Api.Config;
using Lobby.Api.Http;
using Lobby.Api.Http.Accounts;
using Lobby.Api.Http.Auth;
using Lobby.Api.Http.Realtime;
using Lobby.Api.Http.Rooms;
using Lobby.Api.Http.Users;
using Lobby.Api.Http.WebApp;
using Lobby.Api.Http.Errors;
using Lobby.Api.Http.Health;
using Lobby.Api.Http.OpenApi;
using Lobby.Api.Logging;
using Lobby.Api.Security;
using Lobby.Api.Services.Accounts;
using Lobby.Api.Services.Limits;
using Lobby.Api.Services.Rooms;
using Lobby.Api.Services.Users;
using Lobby.Api.Store;
using Lobby.Api.Store.Migrations;
using Lobby.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace Lobby.Api;

/// <summary>The composition root: what the service is made of, and the order requests flow through it.</summary>
internal static class LobbyApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls("http://localhost:8080");
        }

        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        // SIGTERM: readiness turns 503, Kestrel stops accepting, in-flight requests get this long.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<LobbyOptions>>((host, lobby) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(lobby.Value.ShutdownDrainSeconds));
        builder.AddLobbyLogging();
        builder.Services
            .AddLobbyOptions()
            .AddLobbyDatabase()
            .AddLobbyMigrations()
            .AddLobbyProblemDetails()
            .AddLobbyHealth()
            .AddLobbyOpenApi()
            .AddLobbyCors()
            .AddLobbyRedis(builder.Configuration)
            .AddLobbyLimits()
            .AddLobbyAuth()
            .AddLobbyDataProtection()
            .AddLobbyAccounts()
            .AddLobbyUsers()
            .AddLobbyRooms()
            .AddLobbyRealtime(builder.Configuration)
            .AddLobbyForwardedHeaders(builder.Configuration)
            .AddLobbyTelemetry(builder.Configuration)
            .AddLobbyRequestLimits();

        var app = builder.Build();

        app.UseLobbyForwardedHeaders(app.Configuration);
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseRequestSummaryLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // CORS first, so even a 413 carries the headers a browser needs to read it.
        app.UseCors();
        app.UseMiddleware<RequestSizeLimitMiddleware>();
        app.UseLobbyWebApp();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealth();
        app.MapLobbyMetrics(app.Configuration);
        app.MapLobbyApiDocs();
        app.MapAuth();
        app.MapAccounts();
        app.MapUsers();
        app.MapAdmin();
        app.MapRooms();
        app.MapRealtime();
        return app;
    }

    public static async Task<int> ServeAsync(string[] args)
    {
        DotEnvFile.LoadIfPresent();
        WebApplication app;
        try
        {
            // Kestrel reads its limits from the settings while the app is built, so a bad
            // setting surfaces here: report it as one line on stderr, not a stack trace.
            app = Build(args);
            _ = app.Services.GetRequiredService<IOptions<LobbyOptions>>().Value;
            _ = app.Services.GetRequiredService<SigningKeyRing>();
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"lobby: configuration error: {string.Join("; ", ex.Failures)}");
            return 1;
        }
        catch (SettingsException ex)
        {
            await Console.Error.WriteLineAsync($"lobby: configuration error: {ex.Message}");
            return 1;
        }

        await using (app)
        {
            await app.RunAsync();
            return 0;
        }
    }
}
