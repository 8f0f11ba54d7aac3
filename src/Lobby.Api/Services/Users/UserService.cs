using Lobby.Api.Data.Auth;
using Lobby.Api.Data.Rooms;
using Lobby.Api.Data.Users;
using Lobby.Api.Security;
using Lobby.Api.Services.Accounts;
using Lobby.Api.Services.Auth;
using Lobby.Api.Services.Mail;
using Lobby.Api.Services.Rooms;
using Lobby.Api.Services.Limits;
using Lobby.Api.Store;

namespace Lobby.Api.Services.Users;

/// <summary>A user's own account: profile, display name, password; and others' public profiles.</summary>
internal sealed class UserService(
    Database database, PasswordHashingGate hashing, SessionCheck sessionCheck, SignInRateLimiter rateLimiter, UserActionLimiter limiter, AccountMailer mailer,
    IRoomEventPublisher events)
{
    public async Task<UserProfile> GetMeAsync(Guid userId, CancellationToken ct)
    {
        var row = await database.WithConnectionAsync(db => ProfileQueries.FindAsync(db, userId, ct), ct)
            ?? throw new NotFoundException("This account no longer exists.");
        return ToProfile(row);
    }

    public async Task<UserProfile> UpdateDisplayNameAsync(Guid userId, string? displayName, CancellationToken ct)
    {
        var (name, error) = CredentialRules.DisplayName(displayName);
        if (error is not null)
        {
            throw ValidationFailedException.For("displayName", error);
        }

        await limiter.AcquireAsync(userId, UserAction.ChangeProfile, ct);
        var (row, memberships) = await database.WithConnectionAsync(async db =>
        {
            var updated = await ProfileQueries.UpdateDisplayNameAsync(db, userId, name!, ct);
            return (updated, updated is null ? [] : await MemberQueries.MembershipsOfAsync(db, userId, ct));
        }, ct);
        if (row is null)
        {
            throw new NotFoundException("This account no longer exists.");
        }

        // Open rooms show the new name on the member list and on earlier messages without a reload.
        foreach (var m in memberships)
        {
            events.Publish(new RoomEvent(RoomEvent.MemberUpdated, m.RoomId, null, MembershipService.ToView(m.Member)) { AccessVersion = m.AccessVersion });
        }

        return ToProfile(row);
    }

    /// <summary>Changes the password and ends every other session of the user; this one stays signed in.</summary>
    public async Task ChangePasswordAsync(Guid userId, Guid currentSessionId, string? currentPassword, string? newPassword, string? clientIp, CancellationToken ct)
    {
        var me = await GetMeAsync(userId, ct);
        if (string.IsNullOrEmpty(currentPassword))
        {
            throw ValidationFailedException.For("currentPassword", "Current password is required.");
        }

        var newError = CredentialRules.Password(newPassword, me.Email);
        if (newError is not null)
        {
            throw ValidationFailedException.For("newPassword", newError);
        }

        // A stolen access token must not turn into unlimited password guessing. Counted per
        // (email, address) only: strangers guessing at the sign-in form cannot block the owner here.
        await rateLimiter.AcquireForAddressAsync(CredentialRules.EmailKey(me.Email), clientIp, ct);
        var stored = await database.WithConnectionAsync(db => ProfileQueries.PasswordHashAsync(db, userId, ct), ct);
        if (await hashing.VerifyAsync(currentPassword, stored, ct) == PasswordCheck.Mismatch)
        {
            throw ValidationFailedException.For("currentPassword", "Current password is incorrect.");
        }

        var hash = await hashing.HashAsync(newPassword!, ct);
        var revoked = await database.InTransactionAsync(async (db, tx) =>
        {
            await UserQueries.UpdatePasswordHashAsync(db, tx, userId, hash, ct);
            await mailer.QueueNoticeAsync(db, tx, MailTemplates.PasswordChanged(me.Email, me.DisplayName, byReset: false), ct);
            return await SessionQueries.RevokeAllOfUserAsync(db, tx, userId, currentSessionId, "password changed", ct);
        }, ct);
        sessionCheck.Evict(revoked);
        mailer.Sent();
    }

    public async Task<PublicProfile> GetPublicAsync(Guid id, CancellationToken ct)
    {
        var row = await database.WithConnectionAsync(db => ProfileQueries.FindPublicAsync(db, id, ct), ct)
            ?? throw new NotFoundException("No user with this id.");
        return new PublicProfile(row.Id, row.DisplayName, row.CreatedAt);
    }

    private static UserProfile ToProfile(ProfileRow row) => new(row.Id, row.Email, row.DisplayName, row.Role, row.CreatedAt, row.EmailVerified);
}
