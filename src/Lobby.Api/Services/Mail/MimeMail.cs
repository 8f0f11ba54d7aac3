using Lobby.Api.Data.Accounts;
using MimeKit;

namespace Lobby.Api.Services.Mail;

internal static class MimeMail
{
    /// <summary>multipart/alternative with text and HTML; the outbox id is the Message-Id, so a resend is recognisable.</summary>
    public static MimeMessage Build(OutboxMail mail, string from)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(mail.Recipient));
        message.Subject = mail.Subject;
        message.MessageId = $"{mail.Id:N}@lobby";
        message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();
        return message;
    }
}
