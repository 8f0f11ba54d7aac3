using Lobby.Api.Config;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Services.Mail;

internal static class MailSetup
{
    /// <summary>The outbox and its sender, with the transport MailSettings.Mode picks; with mail off the sender only says so.</summary>
    public static IServiceCollection AddLobbyMail(this IServiceCollection services)
    {
        services.AddSingleton<MailOutbox>();
        services.AddSingleton<SmtpMailTransport>();
        services.AddSingleton<FileMailTransport>();
        services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<LobbyOptions>>().Value.Mail.Mode == MailMode.Smtp
            ? sp.GetRequiredService<SmtpMailTransport>()
            : sp.GetRequiredService<FileMailTransport>());
        services.AddHostedService<OutboxSender>();
        return services;
    }
}
