using Npgsql;

namespace Lobby.Api.Data.Rooms;

/// <summary>Rooms as one user sees them: every read carries that user's membership role.</summary>
internal static class RoomQueries
{
    // A direct message is shown by the other person's name: the peer join is on users' primary key.
    private const string Joins = """
        LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = @userId
        LEFT JOIN users p ON r.kind = 'dm' AND p.id = CASE WHEN r.dm_low = @userId THEN r.dm_high ELSE r.dm_low END
        """;

    // The id comes from the database (lobby_uuid_v7, migration 00005): rooms list newest first by
    // id, and one clock for every replica keeps that order true. The row is read from what the two
    // inserts return (the statement cannot see its own inserts in the tables): the owner's new
    // membership stands in for the caller's, and a new room is never a DM, so it has no peer.
    private const string Insert = $"""
        WITH room AS (
            INSERT INTO rooms (id, name, topic, visibility, owner_id) VALUES (lobby_uuid_v7(), @name, @topic, @visibility, @ownerId)
            RETURNING *
        ), owner AS (
            INSERT INTO room_members (room_id, user_id, role) SELECT id, @ownerId, 'owner' FROM room
            RETURNING *
        )
        SELECT {RoomRow.Columns}
        FROM room r JOIN owner m ON m.room_id = r.id LEFT JOIN users p ON false
        """;

    internal const string SelectForUser = $"""
        SELECT {RoomRow.Columns}
        FROM rooms r {Joins}
        WHERE r.id = @roomId
        """;

    private const string SelectForUserForUpdate = SelectForUser + " FOR UPDATE OF r";

    // Edits and deletes take a share lock: a visibility change (which updates the row) cannot slip
    // between reading the access version and committing, so their events carry the right one.
    private const string SelectForUserForShare = SelectForUser + " FOR SHARE OF r";

    // Public rooms plus the private ones the user belongs to; newest first, keyset on id. Direct
    // messages have their own list (DirectMessageQueries).
    internal const string List = $"""
        SELECT {RoomRow.Columns}
        FROM rooms r {Joins}
        WHERE r.kind = 'room' AND (r.visibility = 'public' OR m.user_id IS NOT NULL)
          AND (NOT @mine OR m.user_id IS NOT NULL)
          AND (@after::uuid IS NULL OR r.id < @after)
          AND lower(r.name) LIKE @prefix ESCAPE '\'
        ORDER BY r.id DESC
        LIMIT @take
        """;

    // The caller's direct messages, newest first, keyset on id (through room_members_user_id_idx).
    internal const string ListDirect = $"""
        SELECT {RoomRow.Columns}
        FROM rooms r {Joins}
        WHERE r.kind = 'dm' AND m.user_id IS NOT NULL AND (@after::uuid IS NULL OR r.id < @after)
        ORDER BY r.id DESC
        LIMIT @take
        """;

    // A change of visibility may hide the room from someone: it moves the access version on.
    private const string Update = """
        UPDATE rooms SET name = @name, topic = @topic, owner_id = @ownerId, updated_at = now(),
            access_version = access_version + CASE WHEN visibility <> @visibility THEN 1 ELSE 0 END,
            visibility = @visibility
        WHERE id = @roomId
        """;

    // Someone lost access (removed from the room): live delivery re-checks everyone's access.
    private const string BumpAccessVersion = "UPDATE rooms SET access_version = access_version + 1 WHERE id = @roomId RETURNING access_version";

    private const string Delete = "DELETE FROM rooms WHERE id = @roomId";

    public static Task<RoomRow> InsertAsync(
        NpgsqlConnection db, NpgsqlTransaction? tx, string name, string topic, string visibility, Guid ownerId, CancellationToken ct) =>
        Sql.Command(db, tx, Insert).With("name", name).With("topic", topic).With("visibility", visibility).With("ownerId", ownerId)
            .SingleAsync(RoomRow.Read, ct);

    public static Task<RoomRow?> FindForUserAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid roomId, Guid userId, CancellationToken ct) =>
        Sql.Command(db, tx, SelectForUser).With("roomId", roomId).With("userId", userId).SingleOrDefaultAsync(RoomRow.Read, ct);

    public static Task<RoomRow?> FindForUserForUpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid userId, CancellationToken ct) =>
        Sql.Command(db, tx, SelectForUserForUpdate).With("roomId", roomId).With("userId", userId).SingleOrDefaultAsync(RoomRow.Read, ct);

    public static Task<RoomRow?> FindForUserForShareAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid userId, CancellationToken ct) =>
        Sql.Command(db, tx, SelectForUserForShare).With("roomId", roomId).With("userId", userId).SingleOrDefaultAsync(RoomRow.Read, ct);

    public static Task<long> BumpAccessVersionAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, CancellationToken ct) =>
        Sql.Command(db, tx, BumpAccessVersion).With("roomId", roomId).ScalarAsync<long>(ct);

    public static async Task<IReadOnlyList<RoomRow>> ListAsync(
        NpgsqlConnection db, Guid userId, string query, bool mine, Guid? after, int take, CancellationToken ct) =>
        await Sql.Command(db, null, List).With("userId", userId).With("prefix", Like.Prefix(query)).With("mine", mine).With("after", after)
            .With("take", take).ListAsync(RoomRow.Read, ct);

    public static async Task<IReadOnlyList<RoomRow>> ListDirectAsync(NpgsqlConnection db, Guid userId, Guid? after, int take, CancellationToken ct) =>
        await Sql.Command(db, null, ListDirect).With("userId", userId).With("after", after).With("take", take).ListAsync(RoomRow.Read, ct);

    public static Task UpdateAsync(
        NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, string name, string topic, string visibility, Guid ownerId, CancellationToken ct) =>
        Sql.Command(db, tx, Update).With("roomId", roomId).With("name", name).With("topic", topic).With("visibility", visibility)
            .With("ownerId", ownerId).ExecuteAsync(ct);

    public static Task DeleteAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid roomId, CancellationToken ct) =>
        Sql.Command(db, tx, Delete).With("roomId", roomId).ExecuteAsync(ct);
}
