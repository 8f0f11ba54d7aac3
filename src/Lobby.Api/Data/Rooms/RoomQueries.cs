using Dapper;
using Npgsql;

namespace Lobby.Api.Data.Rooms;

/// <summary>Rooms as one user sees them: every read carries that user's membership role.</summary>
internal static class RoomQueries
{
    // Unread is derived from two numbers, never counted over messages (migration 00006). A direct
    // message is shown by the other person's name: the peer join is on users' primary key.
    private const string Columns = """
        r.id AS Id, CASE WHEN r.kind = 'dm' THEN coalesce(p.display_name, r.name) ELSE r.name END AS Name,
        r.topic AS Topic, r.visibility AS Visibility, r.owner_id AS OwnerId,
        r.last_seq AS LastSeq, r.created_at AS CreatedAt, r.updated_at AS UpdatedAt, m.role AS MyRole,
        r.access_version AS AccessVersion, r.kind AS Kind, coalesce(m.last_read_seq, 0) AS LastReadSeq,
        CASE WHEN m.user_id IS NULL THEN 0 ELSE greatest(r.last_seq - m.last_read_seq, 0) END AS UnreadCount,
        p.id AS PeerId, p.display_name AS PeerName
        """;

    private const string Joins = """
        LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = @userId
        LEFT JOIN users p ON r.kind = 'dm' AND p.id = CASE WHEN r.dm_low = @userId THEN r.dm_high ELSE r.dm_low END
        """;

    // The id comes from the database (lobby_uuid_v7, migration 00005): rooms list newest first by
    // id, and one clock for every replica keeps that order true.
    private const string Insert = """
        WITH room AS (
            INSERT INTO rooms (id, name, topic, visibility, owner_id) VALUES (lobby_uuid_v7(), @name, @topic, @visibility, @ownerId)
            RETURNING *
        ), owner AS (
            INSERT INTO room_members (room_id, user_id, role) SELECT id, @ownerId, 'owner' FROM room
        )
        SELECT id AS Id, name AS Name, topic AS Topic, visibility AS Visibility, owner_id AS OwnerId,
               last_seq AS LastSeq, created_at AS CreatedAt, updated_at AS UpdatedAt, 'owner' AS MyRole,
               access_version AS AccessVersion, kind AS Kind, 0::bigint AS LastReadSeq, 0::bigint AS UnreadCount,
               NULL::uuid AS PeerId, NULL::text AS PeerName
        FROM room
        """;

    internal const string SelectForUser = $"""
        SELECT {Columns}
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
        SELECT {Columns}
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
        SELECT {Columns}
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
        db.QuerySingleAsync<RoomRow>(new CommandDefinition(Insert, new { name, topic, visibility, ownerId }, tx, cancellationToken: ct));

    public static Task<RoomRow?> FindForUserAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid roomId, Guid userId, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<RoomRow>(new CommandDefinition(SelectForUser, new { roomId, userId }, tx, cancellationToken: ct));

    public static Task<RoomRow?> FindForUserForUpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid userId, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<RoomRow>(new CommandDefinition(SelectForUserForUpdate, new { roomId, userId }, tx, cancellationToken: ct));

    public static Task<RoomRow?> FindForUserForShareAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid userId, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<RoomRow>(new CommandDefinition(SelectForUserForShare, new { roomId, userId }, tx, cancellationToken: ct));

    public static Task<long> BumpAccessVersionAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, CancellationToken ct) =>
        db.ExecuteScalarAsync<long>(new CommandDefinition(BumpAccessVersion, new { roomId }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<RoomRow>> ListAsync(
        NpgsqlConnection db, Guid userId, string query, bool mine, Guid? after, int take, CancellationToken ct) =>
        [.. await db.QueryAsync<RoomRow>(new CommandDefinition(List, new { userId, prefix = Like.Prefix(query), mine, after, take }, cancellationToken: ct))];

    public static async Task<IReadOnlyList<RoomRow>> ListDirectAsync(NpgsqlConnection db, Guid userId, Guid? after, int take, CancellationToken ct) =>
        [.. await db.QueryAsync<RoomRow>(new CommandDefinition(ListDirect, new { userId, after, take }, cancellationToken: ct))];

    public static Task UpdateAsync(
        NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, string name, string topic, string visibility, Guid ownerId, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(Update, new { roomId, name, topic, visibility, ownerId }, tx, cancellationToken: ct));

    public static Task DeleteAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid roomId, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(Delete, new { roomId }, tx, cancellationToken: ct));
}
