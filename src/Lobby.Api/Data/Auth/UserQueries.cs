using Dapper;
using Npgsql;

namespace Lobby.Api.Data.Auth;

/// <summary>Accounts as the auth context needs them: create, find for sign-in, update the hash.</summary>
internal static class UserQueries
{
    public const string UniqueEmailConstraint = "users_email_key_key";

    /// <summary>The older index on lower(email), kept: a legacy row without a key still blocks its spelling.</summary>
    public const string UniqueLowerEmailConstraint = "users_email_lower_key";

    private const string Columns = """
        id AS Id, email AS Email, display_name AS DisplayName, password_hash AS PasswordHash,
        role AS Role, disabled AS Disabled, created_at AS CreatedAt, email_verified_at IS NOT NULL AS EmailVerified
        """;

    private const string Insert = $"""
        INSERT INTO users (id, email, email_key, display_name, password_hash, role)
        VALUES (@id, @email, @emailKey, @displayName, @passwordHash, @role)
        RETURNING {Columns}
        """;

    // By key; rows from before keys existed that the migration could not key (non-ASCII) are found
    // the old way until their owner signs in once. A keyed row wins over such a legacy look-alike.
    private const string SelectByEmail = $"""
        SELECT {Columns}, email_key IS NULL AS NeedsKey FROM users
        WHERE email_key = @key OR (email_key IS NULL AND lower(email) = lower(@email))
        ORDER BY email_key IS NULL, created_at
        LIMIT 1
        """;

    private const string SetEmailKey = "UPDATE users SET email_key = @key WHERE id = @id AND email_key IS NULL";

    private const string SelectById = $"SELECT {Columns} FROM users WHERE id = @id";

    private const string UpdatePasswordHash = "UPDATE users SET password_hash = @passwordHash, updated_at = now() WHERE id = @id";

    private const string UpdateRoleByEmail = """
        UPDATE users SET role = @role, updated_at = now()
        WHERE id = (SELECT id FROM users
                    WHERE email_key = @key OR (email_key IS NULL AND lower(email) = lower(@email))
                    ORDER BY email_key IS NULL, created_at LIMIT 1)
        """;

    public static Task<UserRow> InsertAsync(
        NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, string email, string emailKey, string displayName, string passwordHash, string role, CancellationToken ct) =>
        db.QuerySingleAsync<UserRow>(new CommandDefinition(Insert, new { id, email, emailKey, displayName, passwordHash, role }, tx, cancellationToken: ct));

    /// <summary>The account with this email key (or, for a legacy unkeyed row, this spelling).</summary>
    public static Task<KeyedUserRow?> FindByEmailAsync(NpgsqlConnection db, NpgsqlTransaction? tx, string email, string key, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<KeyedUserRow>(new CommandDefinition(SelectByEmail, new { email, key }, tx, cancellationToken: ct));

    public static Task SetEmailKeyAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, string key, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(SetEmailKey, new { id, key }, tx, cancellationToken: ct));

    public static Task<UserRow?> FindByIdAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(SelectById, new { id }, tx, cancellationToken: ct));

    public static Task UpdatePasswordHashAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, string passwordHash, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(UpdatePasswordHash, new { id, passwordHash }, tx, cancellationToken: ct));

    public static async Task<bool> UpdateRoleByEmailAsync(NpgsqlConnection db, NpgsqlTransaction? tx, string email, string key, string role, CancellationToken ct) =>
        await db.ExecuteAsync(new CommandDefinition(UpdateRoleByEmail, new { email, key, role }, tx, cancellationToken: ct)) == 1;
}
