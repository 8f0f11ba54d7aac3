using Npgsql;

namespace Lobby.Api.Data.Users;

/// <summary>Finding people: by exact email key, or by display-name prefix among those one shares a room with.</summary>
internal static class DirectoryQueries
{
    // The email key is the app's canonical form (migration 00004); an unkeyed legacy row is found
    // the way sign-in finds it. Only id and display name come back: never the email.
    private const string ByEmail = $"""
        SELECT {DirectoryRow.Columns} FROM users u
        WHERE NOT disabled AND (email_key = @key OR (email_key IS NULL AND lower(email) = lower(@email)))
        ORDER BY email_key IS NULL, created_at
        LIMIT 1
        """;

    // Strangers cannot be enumerated by name: only people in a room (or DM) with the caller.
    private const string SharingARoom = $"""
        SELECT {DirectoryRow.Columns}
        FROM users u
        WHERE NOT u.disabled AND u.id <> @userId
          AND lower(u.display_name) LIKE @prefix ESCAPE '\'
          AND EXISTS (
              SELECT 1 FROM room_members mine JOIN room_members theirs ON theirs.room_id = mine.room_id
              WHERE mine.user_id = @userId AND theirs.user_id = u.id)
        ORDER BY lower(u.display_name), u.id
        LIMIT @take
        """;

    public static Task<DirectoryRow?> FindByEmailAsync(NpgsqlConnection db, string email, string key, CancellationToken ct) =>
        Sql.Command(db, null, ByEmail).With("email", email).With("key", key).SingleOrDefaultAsync(DirectoryRow.Read, ct);

    public static async Task<IReadOnlyList<DirectoryRow>> SharingARoomAsync(NpgsqlConnection db, Guid userId, string prefix, int take, CancellationToken ct) =>
        await Sql.Command(db, null, SharingARoom).With("userId", userId).With("prefix", Like.Prefix(prefix)).With("take", take)
            .ListAsync(DirectoryRow.Read, ct);
}

internal sealed record DirectoryRow(Guid Id, string DisplayName)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from users u.</summary>
    public const string Columns = "u.id, u.display_name";

    public static DirectoryRow Read(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetString(1));
}
