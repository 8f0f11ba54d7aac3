using Dapper;
using Npgsql;

namespace Lobby.Api.Data.Users;

/// <summary>User management for admins: search, role and disabled flag, and the guard on the last admin.</summary>
internal static class AdminUserQueries
{
    private const string Columns = """
        id AS Id, email AS Email, display_name AS DisplayName, role AS Role, disabled AS Disabled, created_at AS CreatedAt
        """;

    // Newest first; the cursor is the last id seen. A prefix of '' matches everyone.
    private const string Search = $"""
        SELECT {Columns} FROM users
        WHERE (@after::uuid IS NULL OR id < @after)
          AND (lower(email) LIKE @prefix ESCAPE '\' OR lower(display_name) LIKE @prefix ESCAPE '\')
        ORDER BY id DESC
        LIMIT @take
        """;

    private const string SelectForUpdate = $"SELECT {Columns} FROM users WHERE id = @id FOR UPDATE";

    // Locks every active admin row in one order, so concurrent admin changes run one at a time
    // (no deadlock) and each sees the committed result of the one before: under Read Committed a
    // row another transaction demoted or disabled while we waited is re-checked and drops out.
    private const string LockActiveAdmins = "SELECT id FROM users WHERE role = 'ADMIN' AND NOT disabled ORDER BY id FOR UPDATE";

    private const string Update = $"""
        UPDATE users SET role = @role, disabled = @disabled, updated_at = now() WHERE id = @id
        RETURNING {Columns}
        """;

    public static async Task<IReadOnlyList<AdminUserRow>> SearchAsync(NpgsqlConnection db, string query, Guid? after, int take, CancellationToken ct) =>
        [.. await db.QueryAsync<AdminUserRow>(new CommandDefinition(Search, new { prefix = Like.Prefix(query), after, take }, cancellationToken: ct))];

    public static Task<AdminUserRow?> FindForUpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<AdminUserRow>(new CommandDefinition(SelectForUpdate, new { id }, tx, cancellationToken: ct));

    /// <summary>The ids of every active admin, locked until the transaction ends.</summary>
    public static async Task<IReadOnlySet<Guid>> LockActiveAdminsAsync(NpgsqlConnection db, NpgsqlTransaction tx, CancellationToken ct) =>
        (await db.QueryAsync<Guid>(new CommandDefinition(LockActiveAdmins, transaction: tx, cancellationToken: ct))).ToHashSet();

    public static Task<AdminUserRow> UpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid id, string role, bool disabled, CancellationToken ct) =>
        db.QuerySingleAsync<AdminUserRow>(new CommandDefinition(Update, new { id, role, disabled }, tx, cancellationToken: ct));
}
