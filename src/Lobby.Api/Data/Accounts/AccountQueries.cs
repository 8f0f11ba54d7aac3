using Npgsql;

namespace Lobby.Api.Data.Accounts;

internal sealed record AccountRow(Guid Id, string Email, string DisplayName, string PasswordHash, string Role, bool Disabled, bool EmailVerified)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from users (unaliased).</summary>
    public const string Columns = "id, email, display_name, password_hash, role, disabled, email_verified_at IS NOT NULL";

    public static AccountRow Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetBoolean(5), r.GetBoolean(6));
}

/// <summary>The account itself as recovery and erasure change it: verified address, new address, deletion.</summary>
internal static class AccountQueries
{
    private const string SelectById = $"SELECT {AccountRow.Columns} FROM users WHERE id = @id AND deleted_at IS NULL";

    private const string SelectForUpdate = $"SELECT {AccountRow.Columns} FROM users WHERE id = @id AND deleted_at IS NULL FOR UPDATE";

    // Bound to the address the link was mailed to: after an email change, an old link verifies nothing.
    private const string SetVerified = """
        UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
        WHERE id = @id AND email = @email AND deleted_at IS NULL
        """;

    private const string SetEmail = """
        UPDATE users SET email = @email, email_key = @key, email_verified_at = now(), updated_at = now()
        WHERE id = @id AND deleted_at IS NULL
        """;

    private const string EmailKeyTaken = "SELECT EXISTS (SELECT 1 FROM users WHERE email_key = @key AND id <> @id)";

    // Erasure, in one transaction (docs/decisions/0018): rooms the user owns pass to their longest-standing
    // member, or go when nobody else is in them; messages become tombstones (seq kept, body gone); the
    // row stays as "Deleted user" so seqs, DMs and the audit trail still point somewhere, without personal data.
    private const string HandOverOwnedRooms = """
        WITH heirs AS (
            SELECT DISTINCT ON (m.room_id) m.room_id, m.user_id
            FROM room_members m JOIN rooms r ON r.id = m.room_id
            WHERE r.owner_id = @id AND r.kind = 'room' AND m.user_id <> @id
            ORDER BY m.room_id, m.joined_at, m.user_id),
        promoted AS (
            UPDATE room_members m SET role = 'owner' FROM heirs h
            WHERE m.room_id = h.room_id AND m.user_id = h.user_id)
        UPDATE rooms r SET owner_id = h.user_id, updated_at = now() FROM heirs h WHERE r.id = h.room_id
        """;

    private const string DeleteEmptyOwnedRooms = "DELETE FROM rooms WHERE owner_id = @id AND kind = 'room'";

    private const string TombstoneMessages = """
        UPDATE messages SET body = NULL, idempotency_key = NULL, deleted_at = coalesce(deleted_at, now())
        WHERE author_id = @id AND (body IS NOT NULL OR idempotency_key IS NOT NULL)
        """;

    // Live delivery re-checks access in every room the user leaves (access_version).
    private const string LeaveRooms = """
        WITH left_rooms AS (
            DELETE FROM room_members m USING rooms r
            WHERE m.room_id = r.id AND m.user_id = @id AND r.kind = 'room'
            RETURNING m.room_id)
        UPDATE rooms SET access_version = access_version + 1 WHERE id IN (SELECT room_id FROM left_rooms)
        """;

    private const string Scrub = """
        UPDATE users SET email = 'deleted-' || id || '@deleted.invalid', email_key = 'deleted-' || id || '@deleted.invalid',
            display_name = 'Deleted user', password_hash = '!', role = 'USER', disabled = true,
            email_verified_at = NULL, deleted_at = now(), updated_at = now()
        WHERE id = @id
        """;

    private const string DeleteTokens = "DELETE FROM account_tokens WHERE user_id = @id";

    public static Task<AccountRow?> FindAsync(NpgsqlConnection db, Guid id, CancellationToken ct) =>
        Sql.Command(db, null, SelectById).With("id", id).SingleOrDefaultAsync(AccountRow.Read, ct);

    public static Task<AccountRow?> FindForUpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        Sql.Command(db, tx, SelectForUpdate).With("id", id).SingleOrDefaultAsync(AccountRow.Read, ct);

    public static async Task<bool> SetVerifiedAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid id, string email, CancellationToken ct) =>
        await Sql.Command(db, tx, SetVerified).With("id", id).With("email", email).ExecuteAsync(ct) == 1;

    public static Task SetEmailAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid id, string email, string key, CancellationToken ct) =>
        Sql.Command(db, tx, SetEmail).With("id", id).With("email", email).With("key", key).ExecuteAsync(ct);

    public static Task<bool> EmailKeyTakenAsync(NpgsqlConnection db, Guid id, string key, CancellationToken ct) =>
        Sql.Command(db, null, EmailKeyTaken).With("id", id).With("key", key).ScalarAsync<bool>(ct);

    public static async Task EraseAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        foreach (var sql in new[] { HandOverOwnedRooms, DeleteEmptyOwnedRooms, TombstoneMessages, LeaveRooms, DeleteTokens, Scrub })
        {
            await Sql.Command(db, tx, sql).With("id", id).ExecuteAsync(ct);
        }
    }
}
