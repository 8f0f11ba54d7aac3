using Dapper;
using Npgsql;

namespace Lobby.Api.Data.Users;

/// <summary>A user's own profile and what others may see of it.</summary>
internal static class ProfileQueries
{
    private const string SelectProfile = """
        SELECT id AS Id, email AS Email, display_name AS DisplayName, role AS Role, created_at AS CreatedAt,
               email_verified_at IS NOT NULL AS EmailVerified
        FROM users WHERE id = @id AND deleted_at IS NULL
        """;

    private const string SelectPublic = """
        SELECT id AS Id, display_name AS DisplayName, created_at AS CreatedAt
        FROM users WHERE id = @id AND NOT disabled
        """;

    private const string UpdateDisplayName = """
        UPDATE users SET display_name = @displayName, updated_at = now() WHERE id = @id AND deleted_at IS NULL
        RETURNING id AS Id, email AS Email, display_name AS DisplayName, role AS Role, created_at AS CreatedAt,
            email_verified_at IS NOT NULL AS EmailVerified
        """;

    private const string SelectPasswordHash = "SELECT password_hash FROM users WHERE id = @id";

    public static Task<ProfileRow?> FindAsync(NpgsqlConnection db, Guid id, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<ProfileRow>(new CommandDefinition(SelectProfile, new { id }, cancellationToken: ct));

    public static Task<PublicProfileRow?> FindPublicAsync(NpgsqlConnection db, Guid id, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<PublicProfileRow>(new CommandDefinition(SelectPublic, new { id }, cancellationToken: ct));

    public static Task<ProfileRow?> UpdateDisplayNameAsync(NpgsqlConnection db, Guid id, string displayName, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<ProfileRow>(new CommandDefinition(UpdateDisplayName, new { id, displayName }, cancellationToken: ct));

    public static Task<string?> PasswordHashAsync(NpgsqlConnection db, Guid id, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(SelectPasswordHash, new { id }, cancellationToken: ct));
}
