using Microsoft.Extensions.Options;

namespace Lobby.Api.Config;

internal static class OptionsSetup
{
    public static IServiceCollection AddLobbyOptions(this IServiceCollection services)
    {
        // One instance both binds and validates, so parse errors found while binding are reported by name.
        services.AddSingleton<LobbyOptionsSetup>();
        services.AddSingleton<IConfigureOptions<LobbyOptions>>(sp => sp.GetRequiredService<LobbyOptionsSetup>());
        services.AddSingleton<IValidateOptions<LobbyOptions>>(sp => sp.GetRequiredService<LobbyOptionsSetup>());
        services.AddOptions<LobbyOptions>().ValidateOnStart();
        return services;
    }
}
