using System.Text.RegularExpressions;
using Lobby.Api.Config;
using Lobby.Api.Data.Accounts;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Services.Mail;

/// <summary>
/// Development without SMTP_URL: each mail becomes an .eml file in MAIL_DIR (open it with any mail
/// program) and one log line with its link, so scripts/run.sh needs no mail server. Never used
/// outside Development, where links must not reach logs.
/// </summary>
internal sealed partial class FileMailTransport(IOptions<LobbyOptions> options, ILogger<FileMailTransport> logger) : IMailTransport
{
    public async Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutboxMail> batch, CancellationToken ct)
    {
        var mail = options.Value.Mail;
        Directory.CreateDirectory(mail.Directory);
        foreach (var item in batch)
        {
            var path = Path.Combine(mail.Directory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{item.Id:N}.eml");
            await using (var file = File.Create(path))
            {
                await MimeMail.Build(item, mail.From).WriteToAsync(file, ct);
            }

            var link = Link().Match(item.TextBody);
            logger.LogInformation("Mail to {Recipient} \"{Subject}\" written to {Path}{Link}",
                item.Recipient, item.Subject, path, link.Success ? " — link: " + link.Value : "");
        }

        return new string?[batch.Count];
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();
}
