using Npgsql;

namespace Lobby.Api.Data.Users;

/// <summary>User management for admins: search, role and disabled flag, and the guard on the last admin.</summary>
internal static class AdminUserQueries
{
    // Newest first; the cursor is the last id seen. A prefix of '' matches everyone.
    private const string Search = $"""
        SELECT {AdminUserRow.Columns} FROM users
        WHERE (@after::uuid IS NULL OR id < @after)
          AND (lower(email) LIKE @prefix ESCAPE '\' OR lower(display_name) LIKE @prefix ESCAPE '\')
        ORDER BY id DESC
        LIMIT @take
        """;

    private const string SelectForUpdate = $"SELECT {AdminUserRow.Columns} FROM users WHERE id = @id FOR UPDATE";

    // Locks every active admin row in one order, so concurrent admin changes run one at a time
    // (no deadlock) and each sees the committed result of the one before: under Read Committed a
    // row another transaction demoted or disabled while we waited is re-checked and drops out.
    private const string LockActiveAdmins = "SELECT id FROM users WHERE role = 'ADMIN' AND NOT disabled ORDER BY id FOR UPDATE";

    private const string Update = $"""
        UPDATE users SET role = @role, disabled = @disabled, updated_at = now() WHERE id = @id
        RETURNING {AdminUserRow.Columns}
        """;

    public static async Task<IReadOnlyList<AdminUserRow>> SearchAsync(NpgsqlConnection db, string query, Guid? after, int take, CancellationToken ct) =>
        await Sql.Command(db, null, Search).With("prefix", Like.Prefix(query)).With("after", after).With("take", take).ListAsync(AdminUserRow.Read, ct);

    public static Task<AdminUserRow?> FindForUpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        Sql.Command(db, tx, SelectForUpdate).With("id", id).SingleOrDefaultAsync(AdminUserRow.Read, ct);

    /// <summary>The ids of every active admin, locked until the transaction ends.</summary>
    public static async Task<IReadOnlySet<Guid>> LockActiveAdminsAsync(NpgsqlConnection db, NpgsqlTransaction tx, CancellationToken ct) =>
        (await Sql.Command(db, tx, LockActiveAdmins).ListAsync(r => r.GetGuid(0), ct)).ToHashSet();

    public static Task<AdminUserRow> UpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid id, string role, bool disabled, CancellationToken ct) =>
        Sql.Command(db, tx, Update).With("id", id).With("role", role).With("disabled", disabled).SingleAsync(AdminUserRow.Read, ct);
}
