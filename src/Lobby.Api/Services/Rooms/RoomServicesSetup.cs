namespace Lobby.Api.Services.Rooms;

internal static class RoomServicesSetup
{
    public static IServiceCollection AddLobbyRooms(this IServiceCollection services)
    {
        services.AddSingleton<RoomService>();
        services.AddSingleton<MembershipService>();
        services.AddSingleton<MessageService>();
        services.AddSingleton<ReadStateService>();
        services.AddSingleton<DirectMessageService>();
        return services;
    }
}
