using Npgsql;

namespace Lobby.Api.Data.Rooms;

/// <summary>Direct messages: rooms of kind dm between one pair of users (migration 00007).</summary>
internal static class DirectMessageQueries
{
    // One statement: the pair's unique index makes a second create (either side, or at the same
    // moment) insert nothing, and the caller then finds the room that won. Both are plain members:
    // nobody owns a DM, so nobody can rename it, open it up or add a third person.
    private const string Create = """
        WITH room AS (
            INSERT INTO rooms (id, name, topic, visibility, owner_id, kind, dm_low, dm_high)
            VALUES (lobby_uuid_v7(), 'Direct message', '', 'private', @userId, 'dm', least(@userId::uuid, @otherId::uuid), greatest(@userId::uuid, @otherId::uuid))
            ON CONFLICT (dm_low, dm_high) WHERE kind = 'dm' DO NOTHING
            RETURNING id
        ), members AS (
            INSERT INTO room_members (room_id, user_id, role)
            SELECT room.id, u, 'member' FROM room, unnest(ARRAY[@userId::uuid, @otherId::uuid]) AS u
        )
        SELECT id FROM room
        """;

    private const string FindPair = """
        SELECT id FROM rooms WHERE kind = 'dm' AND dm_low = least(@userId::uuid, @otherId::uuid) AND dm_high = greatest(@userId::uuid, @otherId::uuid)
        """;

    /// <summary>The new room's id, or null when the pair already has one.</summary>
    public static Task<Guid?> CreateAsync(NpgsqlConnection db, Guid userId, Guid otherId, CancellationToken ct) =>
        Sql.Command(db, null, Create).With("userId", userId).With("otherId", otherId).SingleOrDefaultAsync(r => (Guid?)r.GetGuid(0), ct);

    public static Task<Guid?> FindPairAsync(NpgsqlConnection db, Guid userId, Guid otherId, CancellationToken ct) =>
        Sql.Command(db, null, FindPair).With("userId", userId).With("otherId", otherId).SingleOrDefaultAsync(r => (Guid?)r.GetGuid(0), ct);
}
