using Lobby.Api.Services.Mail;

namespace Lobby.Api.Services.Accounts;

internal static class AccountServicesSetup
{
    public static IServiceCollection AddLobbyAccounts(this IServiceCollection services) =>
        services.AddLobbyMail().AddSingleton<AccountMailer>().AddSingleton<AccountService>();
}
