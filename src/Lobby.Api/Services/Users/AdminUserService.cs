using System.Globalization;
using Lobby.Api.Data.Auth;
using Lobby.Api.Data.Users;
using Lobby.Api.Security;
using Lobby.Api.Store;

namespace Lobby.Api.Services.Users;

/// <summary>User management for admins, with every change written to the audit trail in the same transaction.</summary>
internal sealed class AdminUserService(Database database, SessionCheck sessionCheck)
{
    private const int MaxQueryLength = 254;

    public async Task<Page<AdminUserView>> SearchAsync(string? query, string? cursor, string? limit, CancellationToken ct)
    {
        var page = Paging.Parse(cursor, limit);
        var prefix = query?.Trim() ?? "";
        if (TextRules.Malformed(prefix) is { } bad)
        {
            // PostgreSQL cannot take a NUL even as a parameter: refuse it like any text field.
            throw ValidationFailedException.For("query", "query " + bad);
        }

        if (prefix.Length > MaxQueryLength)
        {
            throw ValidationFailedException.For("query", $"query must be at most {MaxQueryLength} characters.");
        }

        var rows = await database.WithConnectionAsync(db => AdminUserQueries.SearchAsync(db, prefix, page.After, page.Limit + 1, ct), ct);
        return Paging.Build([.. rows.Select(ToView)], page.Limit, u => u.Id);
    }

    public async Task<AdminUserView> UpdateAsync(Guid actorId, Guid targetId, string? role, bool? disabled, string requestId, CancellationToken ct)
    {
        if (role is null && disabled is null)
        {
            throw ValidationFailedException.For("role", "Give role and/or disabled to change.");
        }

        var newRole = role?.Trim().ToUpperInvariant();
        if (newRole is not null && !Roles.IsValid(newRole))
        {
            throw ValidationFailedException.For("role", $"role must be one of {string.Join(", ", Roles.All)}.");
        }

        var (updated, revoked) = await database.InTransactionAsync(async (db, tx) =>
        {
            var activeAdmins = await AdminUserQueries.LockActiveAdminsAsync(db, tx, ct);
            // The token said ADMIN when the request arrived; a concurrent change may have ended
            // that since. Decide on what is committed now, not on the token.
            if (!activeAdmins.Contains(actorId))
            {
                throw new ForbiddenException("You are no longer an active admin.");
            }

            var target = await AdminUserQueries.FindForUpdateAsync(db, tx, targetId, ct)
                ?? throw new NotFoundException("No user with this id.");

            var nextRole = newRole ?? target.Role;
            var nextDisabled = disabled ?? target.Disabled;
            var losesAdmin = activeAdmins.Contains(targetId) && (nextRole != Roles.Admin || nextDisabled);
            if (losesAdmin && activeAdmins.Count <= 1)
            {
                throw new ConflictException(actorId == targetId
                    ? "You are the last admin: make someone else ADMIN before demoting or disabling yourself."
                    : "This is the last active admin: make someone else ADMIN first.");
            }

            var row = await AdminUserQueries.UpdateAsync(db, tx, targetId, nextRole, nextDisabled, ct);
            if (nextRole != target.Role)
            {
                await AuditQueries.InsertAsync(db, tx, actorId, targetId, "role", target.Role, nextRole, requestId, ct);
            }

            IReadOnlyList<Guid> ended = [];
            if (nextDisabled != target.Disabled)
            {
                await AuditQueries.InsertAsync(db, tx, actorId, targetId, "disabled", Flag(target.Disabled), Flag(nextDisabled), requestId, ct);
                if (nextDisabled)
                {
                    ended = await SessionQueries.RevokeAllOfUserAsync(db, tx, targetId, null, "account disabled", ct);
                }
            }

            return (row, ended);
        }, ct);

        // The session check sees the new role or the revocation at once on this replica.
        sessionCheck.Evict(revoked);
        if (newRole is not null)
        {
            var sessions = await database.WithConnectionAsync(db => SessionQueries.ListActiveAsync(db, targetId, TimeSpan.FromDays(3650), ct), ct);
            sessionCheck.Evict(sessions.Select(s => s.Id));
        }

        return ToView(updated);
    }

    public async Task<Page<AuditEntry>> AuditAsync(string? cursor, string? limit, CancellationToken ct)
    {
        var page = Paging.Parse(cursor, limit);
        var rows = await database.WithConnectionAsync(db => AuditQueries.PageAsync(db, page.After, page.Limit + 1, ct), ct);
        return Paging.Build(
            [.. rows.Select(r => new AuditEntry(r.Id, r.ActorId, r.TargetId, r.Field, r.OldValue, r.NewValue, r.RequestId, r.CreatedAt))],
            page.Limit,
            e => e.Id);
    }

    private static string Flag(bool value) => value.ToString(CultureInfo.InvariantCulture).ToLowerInvariant();

    private static AdminUserView ToView(AdminUserRow r) => new(r.Id, r.Email, r.DisplayName, r.Role, r.Disabled, r.CreatedAt);
}
