using Lobby.Api.Config;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Cli;

/// <summary>The same binding and validation as `serve`, for commands that run without the web host.</summary>
internal static class CliSettings
{
    public static LobbyOptions? Load()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var environment = new CliEnvironment(configuration["ASPNETCORE_ENVIRONMENT"] ?? configuration["DOTNET_ENVIRONMENT"] ?? Environments.Production);
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(environment)
            .AddLobbyOptions()
            .BuildServiceProvider();
        try
        {
            return services.GetRequiredService<IOptions<LobbyOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine($"lobby: configuration error: {string.Join("; ", ex.Failures)}");
            return null;
        }
    }

    private sealed class CliEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Lobby.Api";
        public string ContentRootPath { get; set; } = Directory.GetCurrentDirectory();
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
