namespace Lobby.Api.Services.Users;

internal static class UserServicesSetup
{
    public static IServiceCollection AddLobbyUsers(this IServiceCollection services) =>
        services.AddSingleton<UserService>().AddSingleton<AdminUserService>().AddSingleton<DirectoryService>();
}
