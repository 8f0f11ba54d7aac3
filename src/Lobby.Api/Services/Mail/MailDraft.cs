namespace Lobby.Api.Services.Mail;

/// <summary>One mail as the account flows compose it, before it is queued: plain text and HTML alike.</summary>
internal sealed record MailDraft(string To, string Subject, string Text, string Html);
