using Npgsql;

namespace Lobby.Api.Data.Rooms;

/// <summary>Who is in a room, with which room role.</summary>
internal static class MemberQueries
{
    // Joining twice is a no-op: the insert returns nothing and the existing row stands. A newcomer
    // starts with the room read up to now: its history is there to scroll, not a wall of unread.
    private const string Add = """
        INSERT INTO room_members (room_id, user_id, role, last_read_seq)
        SELECT @roomId, @userId, 'member', r.last_seq FROM rooms r WHERE r.id = @roomId
        ON CONFLICT (room_id, user_id) DO NOTHING
        RETURNING true
        """;

    private const string SelectOne = $"""
        SELECT {MemberRow.Columns}
        FROM room_members m JOIN users u ON u.id = m.user_id
        WHERE m.room_id = @roomId AND m.user_id = @userId
        """;

    private const string Page = $"""
        SELECT {MemberRow.Columns}
        FROM room_members m JOIN users u ON u.id = m.user_id
        WHERE m.room_id = @roomId AND (@after::uuid IS NULL OR m.user_id > @after)
        ORDER BY m.user_id
        LIMIT @take
        """;

    private const string Remove = "DELETE FROM room_members WHERE room_id = @roomId AND user_id = @userId AND role <> 'owner'";

    private const string SetRole = "UPDATE room_members SET role = @role WHERE room_id = @roomId AND user_id = @userId";

    private const string RoleOf = "SELECT role FROM room_members WHERE room_id = @roomId AND user_id = @userId";

    private const string UserExists = "SELECT EXISTS (SELECT 1 FROM users WHERE id = @userId AND NOT disabled)";

    private const string MembershipsOf = $"""
        SELECT {MembershipRow.Columns}
        FROM room_members m JOIN users u ON u.id = m.user_id JOIN rooms r ON r.id = m.room_id
        WHERE m.user_id = @userId
        """;

    /// <summary>Adds a member unless already in; Created tells which.</summary>
    public static async Task<(MemberRow Member, bool Created)> AddAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid roomId, Guid userId, CancellationToken ct)
    {
        var created = await Sql.Command(db, tx, Add).With("roomId", roomId).With("userId", userId).ScalarAsync<bool?>(ct) == true;
        var member = await Sql.Command(db, tx, SelectOne).With("roomId", roomId).With("userId", userId).SingleAsync(MemberRow.Read, ct);
        return (member, created);
    }

    public static async Task<IReadOnlyList<MemberRow>> PageAsync(NpgsqlConnection db, Guid roomId, Guid? after, int take, CancellationToken ct) =>
        await Sql.Command(db, null, Page).With("roomId", roomId).With("after", after).With("take", take).ListAsync(MemberRow.Read, ct);

    public static async Task<bool> RemoveAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid roomId, Guid userId, CancellationToken ct) =>
        await Sql.Command(db, tx, Remove).With("roomId", roomId).With("userId", userId).ExecuteAsync(ct) == 1;

    public static Task SetRoleAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid userId, string role, CancellationToken ct) =>
        Sql.Command(db, tx, SetRole).With("roomId", roomId).With("userId", userId).With("role", role).ExecuteAsync(ct);

    public static Task<string?> RoleOfAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid roomId, Guid userId, CancellationToken ct) =>
        Sql.Command(db, tx, RoleOf).With("roomId", roomId).With("userId", userId).SingleOrDefaultAsync(r => r.GetString(0), ct);

    /// <summary>Every room the user is in, with their member entry there (for telling each room of a profile change).</summary>
    public static async Task<IReadOnlyList<MembershipRow>> MembershipsOfAsync(NpgsqlConnection db, Guid userId, CancellationToken ct) =>
        await Sql.Command(db, null, MembershipsOf).With("userId", userId).ListAsync(MembershipRow.Read, ct);

    public static Task<bool> UserExistsAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid userId, CancellationToken ct) =>
        Sql.Command(db, tx, UserExists).With("userId", userId).ScalarAsync<bool>(ct);
}
