using Lobby.Api.Config;
using Lobby.Api.Data.Accounts;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Services.Mail;

/// <summary>Sends over SMTP with MailKit: one connection per batch, STARTTLS or TLS as SMTP_URL says.</summary>
internal sealed class SmtpMailTransport(IOptions<LobbyOptions> options) : IMailTransport
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutboxMail> batch, CancellationToken ct)
    {
        var mail = options.Value.Mail;
        var smtp = mail.Smtp!;
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        var security = smtp.Security switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(smtp.Host, smtp.Port, security, ct);
        if (smtp.User is not null)
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        }

        var results = new string?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                await client.SendAsync(MimeMail.Build(batch[i], mail.From), ct);
            }
            catch (Exception ex) when ((ex is SmtpCommandException or MimeKit.ParseException or ArgumentException) && client.IsConnected)
            {
                // One refused recipient must not hold back the rest of the batch.
                results[i] = ex.Message;
            }
            catch (Exception ex)
            {
                // The connection broke or we are stopping: the mails it already accepted stay
                // accepted (and are recorded as sent), only this one and the rest wait for a retry.
                var why = ex is OperationCanceledException ? "stopped before it was sent" : OutboxSender.Describe(ex);
                for (var j = i; j < batch.Count; j++)
                {
                    results[j] = why;
                }

                return results;
            }
        }

        try
        {
            await client.DisconnectAsync(true, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Every mail was accepted before QUIT: a failing goodbye must not send them again.
        }

        return results;
    }
}
