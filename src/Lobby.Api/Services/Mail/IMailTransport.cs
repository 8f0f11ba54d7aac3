using Lobby.Api.Data.Accounts;

namespace Lobby.Api.Services.Mail;

/// <summary>How a queued mail leaves: SMTP (<see cref="SmtpMailTransport"/>) or a file (<see cref="FileMailTransport"/>).</summary>
internal interface IMailTransport
{
    /// <summary>Delivers the batch; returns per mail null when accepted, else why not. Throws when nothing could be sent.</summary>
    Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutboxMail> batch, CancellationToken ct);
}
