using Dapper;
using Npgsql;

namespace Lobby.Api.Data.Auth;

/// <summary>Accounts as the auth context needs them: create, find for sign-in, update the hash.</summary>
internal static class UserQueries
{
    public const string UniqueEmailConstraint = "users_email_lower_key";

    private const string Columns = """
        id AS Id, email AS Email, display_name AS DisplayName, password_hash AS PasswordHash,
        role AS Role, disabled AS Disabled, created_at AS CreatedAt
        """;

    private const string Insert = $"""
        INSERT INTO users (id, email, display_name, password_hash, role)
        VALUES (@id, @email, @displayName, @passwordHash, @role)
        RETURNING {Columns}
        """;

    private const string SelectByEmail = $"SELECT {Columns} FROM users WHERE lower(email) = lower(@email)";

    private const string SelectById = $"SELECT {Columns} FROM users WHERE id = @id";

    private const string UpdatePasswordHash = "UPDATE users SET password_hash = @passwordHash, updated_at = now() WHERE id = @id";

    private const string UpdateRoleByEmail = "UPDATE users SET role = @role, updated_at = now() WHERE lower(email) = lower(@email)";

    public static Task<UserRow> InsertAsync(
        NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, string email, string displayName, string passwordHash, string role, CancellationToken ct) =>
        db.QuerySingleAsync<UserRow>(new CommandDefinition(Insert, new { id, email, displayName, passwordHash, role }, tx, cancellationToken: ct));

    public static Task<UserRow?> FindByEmailAsync(NpgsqlConnection db, NpgsqlTransaction? tx, string email, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(SelectByEmail, new { email }, tx, cancellationToken: ct));

    public static Task<UserRow?> FindByIdAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(SelectById, new { id }, tx, cancellationToken: ct));

    public static Task UpdatePasswordHashAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, string passwordHash, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(UpdatePasswordHash, new { id, passwordHash }, tx, cancellationToken: ct));

    public static async Task<bool> UpdateRoleByEmailAsync(NpgsqlConnection db, NpgsqlTransaction? tx, string email, string role, CancellationToken ct) =>
        await db.ExecuteAsync(new CommandDefinition(UpdateRoleByEmail, new { email, role }, tx, cancellationToken: ct)) == 1;
}
