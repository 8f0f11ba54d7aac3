using Lobby.Api.Config;
using Lobby.Api.Data.Accounts;
using Lobby.Api.Security;
using Lobby.Api.Services.Limits;
using Lobby.Api.Services.Mail;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Lobby.Api.Services.Accounts;

/// <summary>
/// Mints the single-use tokens of the account flows and queues the mail that carries them, inside
/// the caller's transaction. Mails that carry a link are limited per recipient
/// (MAIL_RATE_LIMIT_PER_ADDRESS_PER_HOUR, on the shared counter): past it they are dropped without
/// a word, so nobody can flood someone's inbox and the caller learns nothing.
/// </summary>
internal sealed class AccountMailer(IRateLimitCounter counter, MailOutbox outbox, IOptions<LobbyOptions> options)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private MailSettings Settings => options.Value.Mail;

    public bool Enabled => Settings.Enabled;

    public bool VerificationRequired => Settings.RequireEmailVerification;

    public void ThrowIfOff(string what)
    {
        if (!Settings.Enabled)
        {
            throw new FeatureUnavailableException($"{what} is not available: this server sends no mail (its operator has not set SMTP_URL).");
        }
    }

    /// <summary>Whether another link mail may go to this address (by email key) this hour.</summary>
    public async Task<bool> AllowAsync(string emailKey, CancellationToken ct) =>
        (await counter.HitAsync("mail-address:" + emailKey, Hour, ct)).Count <= Settings.PerAddressPerHour;

    public async Task QueueVerificationAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid userId, string email, string name, CancellationToken ct)
    {
        var token = await MintAsync(db, tx, userId, TokenPurpose.VerifyEmail, email, Settings.VerifyTokenLifetime, ct);
        await MailOutbox.EnqueueAsync(db, tx, MailTemplates.VerifyEmail(email, name, Link("verify-email", token)), ct);
    }

    public async Task QueueResetAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid userId, string email, string name, CancellationToken ct)
    {
        var token = await MintAsync(db, tx, userId, TokenPurpose.ResetPassword, email, Settings.ResetTokenLifetime, ct);
        await MailOutbox.EnqueueAsync(db, tx, MailTemplates.ResetPassword(email, name, Link("reset-password", token), Settings.ResetTokenLifetime), ct);
    }

    public async Task QueueAlreadyRegisteredAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid userId, string email, string name, CancellationToken ct)
    {
        var token = await MintAsync(db, tx, userId, TokenPurpose.ResetPassword, email, Settings.ResetTokenLifetime, ct);
        await MailOutbox.EnqueueAsync(db, tx, MailTemplates.AlreadyRegistered(email, name, Link("reset-password", token)), ct);
    }

    public async Task QueueEmailChangeAsync(
        NpgsqlConnection db, NpgsqlTransaction tx, Guid userId, string oldEmail, string newEmail, string name, CancellationToken ct)
    {
        var token = await MintAsync(db, tx, userId, TokenPurpose.ChangeEmail, newEmail, Settings.VerifyTokenLifetime, ct);
        await MailOutbox.EnqueueAsync(db, tx, MailTemplates.ConfirmNewEmail(newEmail, name, Link("confirm-email", token)), ct);
        await MailOutbox.EnqueueAsync(db, tx, MailTemplates.EmailChangeRequested(oldEmail, name, newEmail), ct);
    }

    /// <summary>A notice without a link (password changed, account deleted); nothing when mail is off.</summary>
    public Task QueueNoticeAsync(NpgsqlConnection db, NpgsqlTransaction tx, MailDraft mail, CancellationToken ct) =>
        Settings.Enabled ? MailOutbox.EnqueueAsync(db, tx, mail, ct) : Task.CompletedTask;

    /// <summary>After the commit: send now rather than at the next poll.</summary>
    public void Sent() => outbox.Wake();

    private static async Task<string> MintAsync(
        NpgsqlConnection db, NpgsqlTransaction tx, Guid userId, string purpose, string email, TimeSpan lifetime, CancellationToken ct)
    {
        // Same shape and strength as refresh tokens: 256 random bits, only the SHA-256 stored.
        var token = RefreshTokens.NewToken();
        await AccountTokenQueries.InsertAsync(db, tx, RefreshTokens.Hash(token), userId, purpose, email, lifetime, ct);
        return token;
    }

    // The token rides in the fragment: browsers do not send it to any server when the link is opened.
    private string Link(string route, string token) => $"{Settings.PublicBaseUrl}/#/{route}?token={token}";
}
