using Lobby.Api.Data.Accounts;
using Lobby.Api.Data.Auth;
using Lobby.Api.Data.Users;
using Lobby.Api.Security;
using Lobby.Api.Services.Auth;
using Lobby.Api.Services.Mail;
using Lobby.Api.Store;
using Npgsql;

namespace Lobby.Api.Services.Accounts;

/// <summary>
/// Recovering and ending an account: password reset, email verification, email change, erasure.
/// Every mailed link is a single-use token bound to one purpose (and, for addresses, to the address
/// it was sent to); redeeming one locks it, so a link clicked twice at once still works once.
/// </summary>
internal sealed class AccountService(
    Database database,
    PasswordHashingGate hashing,
    SessionCheck sessionCheck,
    SignInRateLimiter rateLimiter,
    AccountMailer mailer,
    ILogger<AccountService> logger)
{
    public const string BadLink = "This link is invalid, has expired or was already used. Ask for a new one.";

    public AccountSettings Settings => new(mailer.Enabled, mailer.VerificationRequired);

    public static readonly MailAccepted ResetAccepted = new("accepted", "If an account uses this address, a link to reset its password is on its way.");

    /// <summary>Always the same answer, whether or not the address has an account (no enumeration).</summary>
    public async Task<MailAccepted> ForgotPasswordAsync(string? email, CancellationToken ct)
    {
        var clean = RequireEmail(email, "email");
        mailer.ThrowIfOff("Password reset");
        var key = CredentialRules.EmailKey(clean);
        if (!await mailer.AllowAsync(key, ct))
        {
            return ResetAccepted;
        }

        var found = await database.WithConnectionAsync(db => UserQueries.FindByEmailAsync(db, null, clean, key, ct), ct);
        if (found is null || found.Disabled)
        {
            return ResetAccepted;
        }

        await database.InTransactionAsync(
            (db, tx) => mailer.QueueResetAsync(db, tx, found.Id, found.Email, found.DisplayName, ct), ct);
        mailer.Sent();
        return ResetAccepted;
    }

    /// <summary>Sets a new password from a reset link; every session ends, the address counts as verified.</summary>
    public async Task ResetPasswordAsync(string? token, string? newPassword, CancellationToken ct)
    {
        if (newPassword is null)
        {
            throw ValidationFailedException.For("newPassword", "newPassword is required.");
        }

        var hashOfToken = TokenHash(token);
        var peek = await database.InTransactionAsync((db, tx) => AccountTokenQueries.FindForUpdateAsync(db, tx, hashOfToken, TokenPurpose.ResetPassword, ct), ct);
        if (peek is null || !peek.Usable || peek.UserDisabled)
        {
            throw ValidationFailedException.For("token", BadLink);
        }

        var error = CredentialRules.Password(newPassword, peek.UserEmail);
        if (error is not null)
        {
            throw ValidationFailedException.For("newPassword", error);
        }

        var hash = await hashing.HashAsync(newPassword!, ct);
        var revoked = await database.InTransactionAsync(async (db, tx) =>
        {
            var row = await AccountTokenQueries.FindForUpdateAsync(db, tx, hashOfToken, TokenPurpose.ResetPassword, ct);
            if (row is null || !row.Usable || row.UserDisabled)
            {
                throw ValidationFailedException.For("token", BadLink);
            }

            await UserQueries.UpdatePasswordHashAsync(db, tx, row.UserId, hash, ct);
            await AccountTokenQueries.RetireAllAsync(db, tx, row.UserId, TokenPurpose.ResetPassword, ct);
            // The link reached this mailbox: that proves the address as well as a verification link would.
            await AccountQueries.SetVerifiedAsync(db, tx, row.UserId, row.Email, ct);
            var account = await AccountQueries.FindAsync(db, row.UserId, ct);
            await mailer.QueueNoticeAsync(db, tx, MailTemplates.PasswordChanged(row.UserEmail, account?.DisplayName ?? "", byReset: true), ct);
            return await SessionQueries.RevokeAllOfUserAsync(db, tx, row.UserId, null, "password reset", ct);
        }, ct);
        sessionCheck.Evict(revoked);
        mailer.Sent();
        logger.LogInformation("Password reset by link; {Sessions} sessions ended", revoked.Count);
    }

    public async Task VerifyEmailAsync(string? token, CancellationToken ct)
    {
        var hashOfToken = TokenHash(token);
        await database.InTransactionAsync(async (db, tx) =>
        {
            var row = await AccountTokenQueries.FindForUpdateAsync(db, tx, hashOfToken, TokenPurpose.VerifyEmail, ct);
            // A link for an address the account no longer has verifies nothing.
            if (row is null || !row.Usable || !await AccountQueries.SetVerifiedAsync(db, tx, row.UserId, row.Email, ct))
            {
                throw ValidationFailedException.For("token", BadLink);
            }

            await AccountTokenQueries.RetireAllAsync(db, tx, row.UserId, TokenPurpose.VerifyEmail, ct);
        }, ct);
    }

    /// <summary>Another verification link for the signed-in user; nothing when already verified.</summary>
    public async Task<MailAccepted> ResendVerificationAsync(Guid userId, CancellationToken ct)
    {
        mailer.ThrowIfOff("Email verification");
        var account = await database.WithConnectionAsync(db => AccountQueries.FindAsync(db, userId, ct), ct)
            ?? throw new NotFoundException("This account no longer exists.");
        if (!account.EmailVerified && await mailer.AllowAsync(CredentialRules.EmailKey(account.Email), ct))
        {
            await database.InTransactionAsync((db, tx) => mailer.QueueVerificationAsync(db, tx, userId, account.Email, account.DisplayName, ct), ct);
            mailer.Sent();
        }

        return new MailAccepted("accepted", account.EmailVerified ? "Your address is already confirmed." : $"A confirmation link is on its way to {account.Email}.");
    }

    /// <summary>Asks for a new address: confirmed by a link to it, announced to the old one; nothing changes until then.</summary>
    public async Task<MailAccepted> RequestEmailChangeAsync(Guid userId, string? newEmail, string? currentPassword, string? clientIp, CancellationToken ct)
    {
        var (clean, emailError) = CredentialRules.Email(newEmail);
        var errors = new Dictionary<string, string[]>();
        if (emailError is not null)
        {
            errors["newEmail"] = [emailError];
        }

        if (string.IsNullOrEmpty(currentPassword))
        {
            errors["currentPassword"] = ["Current password is required."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        mailer.ThrowIfOff("Changing the email address");
        var account = await CheckPasswordAsync(userId, currentPassword, clientIp, ct);
        var key = CredentialRules.EmailKey(clean!);
        if (key == CredentialRules.EmailKey(account.Email))
        {
            throw ValidationFailedException.For("newEmail", "This is already your address.");
        }

        // The caller proved the password: telling them the address is taken reveals nothing a sign-up would not.
        if (await database.WithConnectionAsync(db => AccountQueries.EmailKeyTakenAsync(db, userId, key, ct), ct))
        {
            throw new ConflictException("An account with this email already exists.");
        }

        if (await mailer.AllowAsync(key, ct))
        {
            await database.InTransactionAsync(
                (db, tx) => mailer.QueueEmailChangeAsync(db, tx, userId, account.Email, clean!, account.DisplayName, ct), ct);
            mailer.Sent();
        }

        return new MailAccepted("accepted", $"Open the link we sent to {clean} to confirm it. Until then your address stays {account.Email}.");
    }

    public async Task ConfirmEmailChangeAsync(string? token, CancellationToken ct)
    {
        var hashOfToken = TokenHash(token);
        try
        {
            await database.InTransactionAsync(async (db, tx) =>
            {
                var row = await AccountTokenQueries.FindForUpdateAsync(db, tx, hashOfToken, TokenPurpose.ChangeEmail, ct);
                if (row is null || !row.Usable || row.UserDisabled)
                {
                    throw ValidationFailedException.For("token", BadLink);
                }

                await AccountQueries.SetEmailAsync(db, tx, row.UserId, row.Email, CredentialRules.EmailKey(row.Email), ct);
                await AccountTokenQueries.RetireAllAsync(db, tx, row.UserId, TokenPurpose.ChangeEmail, ct);
                // Links mailed to the old address stop working with it.
                await AccountTokenQueries.RetireAllAsync(db, tx, row.UserId, TokenPurpose.ResetPassword, ct);
                await AccountTokenQueries.RetireAllAsync(db, tx, row.UserId, TokenPurpose.VerifyEmail, ct);
            }, ct);
        }
        catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex, UserQueries.UniqueEmailConstraint)
            || PostgresErrors.IsUniqueViolation(ex, UserQueries.UniqueLowerEmailConstraint))
        {
            throw new ConflictException("Another account took this address in the meantime.");
        }
    }

    /// <summary>
    /// Erases the account (docs/decisions/0018): sessions end, messages become tombstones, owned rooms
    /// pass on or go, the row stays as "Deleted user" without personal data.
    /// </summary>
    public async Task DeleteAccountAsync(Guid userId, string? currentPassword, string? clientIp, CancellationToken ct)
    {
        var account = await CheckPasswordAsync(userId, currentPassword, clientIp, ct);
        var revoked = await database.InTransactionAsync(async (db, tx) =>
        {
            var locked = await AccountQueries.FindForUpdateAsync(db, tx, userId, ct)
                ?? throw new NotFoundException("This account no longer exists.");
            if (locked.Role == Roles.Admin && !locked.Disabled)
            {
                var admins = await AdminUserQueries.LockActiveAdminsAsync(db, tx, ct);
                if (admins.Count <= 1)
                {
                    throw new ConflictException("You are the last admin: make someone else ADMIN before deleting your account.");
                }
            }

            await MailOutboxQueries.DropForRecipientAsync(db, tx, locked.Email, ct);
            await mailer.QueueNoticeAsync(db, tx, MailTemplates.AccountDeleted(locked.Email, locked.DisplayName), ct);
            await AccountQueries.EraseAsync(db, tx, userId, ct);
            return await SessionQueries.RevokeAllOfUserAsync(db, tx, userId, null, "account deleted", ct);
        }, ct);
        sessionCheck.Evict(revoked);
        mailer.Sent();
        logger.LogInformation("User {UserId} deleted their account; {Sessions} sessions ended", userId, revoked.Count);
        _ = account;
    }

    private static void RequirePassword(string? currentPassword)
    {
        if (string.IsNullOrEmpty(currentPassword))
        {
            throw ValidationFailedException.For("currentPassword", "Current password is required.");
        }
    }

    private async Task<AccountRow> CheckPasswordAsync(Guid userId, string? currentPassword, string? clientIp, CancellationToken ct)
    {
        RequirePassword(currentPassword);

        var account = await database.WithConnectionAsync(db => AccountQueries.FindAsync(db, userId, ct), ct)
            ?? throw new NotFoundException("This account no longer exists.");
        // Same counter as a password change: a stolen access token does not buy unlimited guesses.
        await rateLimiter.AcquireForAddressAsync(CredentialRules.EmailKey(account.Email), clientIp, ct);
        if (await hashing.VerifyAsync(currentPassword!, account.PasswordHash, ct) == PasswordCheck.Mismatch)
        {
            throw ValidationFailedException.For("currentPassword", "Current password is incorrect.");
        }

        return account;
    }

    private static string RequireEmail(string? email, string field)
    {
        var (clean, error) = CredentialRules.Email(email);
        if (error is not null)
        {
            throw ValidationFailedException.For(field, error);
        }

        return clean!;
    }

    private static byte[] TokenHash(string? token)
    {
        if (token is null)
        {
            throw ValidationFailedException.For("token", "token is required.");
        }

        return RefreshTokens.LooksValid(token) ? RefreshTokens.Hash(token) : throw ValidationFailedException.For("token", BadLink);
    }
}
