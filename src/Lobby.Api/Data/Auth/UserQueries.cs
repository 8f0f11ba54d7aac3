using Npgsql;

namespace Lobby.Api.Data.Auth;

/// <summary>Accounts as the auth context needs them: create, find for sign-in, update the hash.</summary>
internal static class UserQueries
{
    public const string UniqueEmailConstraint = "users_email_key_key";

    /// <summary>The older index on lower(email), kept: a legacy row without a key still blocks its spelling.</summary>
    public const string UniqueLowerEmailConstraint = "users_email_lower_key";

    private const string Insert = $"""
        INSERT INTO users (id, email, email_key, display_name, password_hash, role)
        VALUES (@id, @email, @emailKey, @displayName, @passwordHash, @role)
        RETURNING {UserRow.Columns}
        """;

    // By key; rows from before keys existed that the migration could not key (non-ASCII) are found
    // the old way until their owner signs in once. A keyed row wins over such a legacy look-alike.
    private const string SelectByEmail = $"""
        SELECT {KeyedUserRow.Columns} FROM users
        WHERE email_key = @key OR (email_key IS NULL AND lower(email) = lower(@email))
        ORDER BY email_key IS NULL, created_at
        LIMIT 1
        """;

    private const string SetEmailKey = "UPDATE users SET email_key = @key WHERE id = @id AND email_key IS NULL";

    private const string SelectById = $"SELECT {UserRow.Columns} FROM users WHERE id = @id";

    private const string UpdatePasswordHash = "UPDATE users SET password_hash = @passwordHash, updated_at = now() WHERE id = @id";

    private const string UpdateRoleByEmail = """
        UPDATE users SET role = @role, updated_at = now()
        WHERE id = (SELECT id FROM users
                    WHERE email_key = @key OR (email_key IS NULL AND lower(email) = lower(@email))
                    ORDER BY email_key IS NULL, created_at LIMIT 1)
        """;

    public static Task<UserRow> InsertAsync(
        NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, string email, string emailKey, string displayName, string passwordHash, string role, CancellationToken ct) =>
        Sql.Command(db, tx, Insert).With("id", id).With("email", email).With("emailKey", emailKey).With("displayName", displayName)
            .With("passwordHash", passwordHash).With("role", role).SingleAsync(UserRow.Read, ct);

    /// <summary>The account with this email key (or, for a legacy unkeyed row, this spelling).</summary>
    public static Task<KeyedUserRow?> FindByEmailAsync(NpgsqlConnection db, NpgsqlTransaction? tx, string email, string key, CancellationToken ct) =>
        Sql.Command(db, tx, SelectByEmail).With("email", email).With("key", key).SingleOrDefaultAsync(KeyedUserRow.Read, ct);

    public static Task SetEmailKeyAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, string key, CancellationToken ct) =>
        Sql.Command(db, tx, SetEmailKey).With("id", id).With("key", key).ExecuteAsync(ct);

    public static Task<UserRow?> FindByIdAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, CancellationToken ct) =>
        Sql.Command(db, tx, SelectById).With("id", id).SingleOrDefaultAsync(UserRow.Read, ct);

    public static Task UpdatePasswordHashAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, string passwordHash, CancellationToken ct) =>
        Sql.Command(db, tx, UpdatePasswordHash).With("id", id).With("passwordHash", passwordHash).ExecuteAsync(ct);

    public static async Task<bool> UpdateRoleByEmailAsync(NpgsqlConnection db, NpgsqlTransaction? tx, string email, string key, string role, CancellationToken ct) =>
        await Sql.Command(db, tx, UpdateRoleByEmail).With("email", email).With("key", key).With("role", role).ExecuteAsync(ct) == 1;
}
