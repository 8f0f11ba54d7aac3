using Npgsql;

namespace Lobby.Api.Data.Users;

/// <summary>A user's own profile and what others may see of it.</summary>
internal static class ProfileQueries
{
    private const string SelectProfile = $"""
        SELECT {ProfileRow.Columns}
        FROM users WHERE id = @id AND deleted_at IS NULL
        """;

    private const string SelectPublic = $"""
        SELECT {PublicProfileRow.Columns}
        FROM users WHERE id = @id AND NOT disabled
        """;

    private const string UpdateDisplayName = $"""
        UPDATE users SET display_name = @displayName, updated_at = now() WHERE id = @id AND deleted_at IS NULL
        RETURNING {ProfileRow.Columns}
        """;

    private const string SelectPasswordHash = "SELECT password_hash FROM users WHERE id = @id";

    public static Task<ProfileRow?> FindAsync(NpgsqlConnection db, Guid id, CancellationToken ct) =>
        Sql.Command(db, null, SelectProfile).With("id", id).SingleOrDefaultAsync(ProfileRow.Read, ct);

    public static Task<PublicProfileRow?> FindPublicAsync(NpgsqlConnection db, Guid id, CancellationToken ct) =>
        Sql.Command(db, null, SelectPublic).With("id", id).SingleOrDefaultAsync(PublicProfileRow.Read, ct);

    public static Task<ProfileRow?> UpdateDisplayNameAsync(NpgsqlConnection db, Guid id, string displayName, CancellationToken ct) =>
        Sql.Command(db, null, UpdateDisplayName).With("id", id).With("displayName", displayName).SingleOrDefaultAsync(ProfileRow.Read, ct);

    public static Task<string?> PasswordHashAsync(NpgsqlConnection db, Guid id, CancellationToken ct) =>
        Sql.Command(db, null, SelectPasswordHash).With("id", id).SingleOrDefaultAsync(r => r.GetString(0), ct);
}
