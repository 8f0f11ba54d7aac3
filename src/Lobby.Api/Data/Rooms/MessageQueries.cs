using Dapper;
using Npgsql;

namespace Lobby.Api.Data.Rooms;

/// <summary>Messages of a room, numbered by the room's gap-free sequence.</summary>
internal static class MessageQueries
{
    private const string Columns = """
        id AS Id, room_id AS RoomId, seq AS Seq, author_id AS AuthorId, body AS Body,
        created_at AS CreatedAt, edited_at AS EditedAt, deleted_at AS DeletedAt
        """;

    // One statement, no transaction round trips: the author's membership row is share-locked (a
    // concurrent removal either waits for this post or makes it find no membership), the room
    // row's lock orders writers (held only until this statement commits), and a duplicate
    // Idempotency-Key fails the insert (23505 on messages_idempotency_key), which rolls the seq
    // bump back with it. So seqs stay gap-free and a writer never waits on a network round trip
    // of another. No row: the author is not a member (or the room does not exist).
    private const string Post = """
        WITH member AS (
            SELECT 1 FROM room_members WHERE room_id = @roomId AND user_id = @authorId FOR SHARE
        ), room AS (
            UPDATE rooms SET last_seq = last_seq + 1
            WHERE id = @roomId AND EXISTS (SELECT 1 FROM member)
            RETURNING last_seq, access_version
        ), inserted AS (
            INSERT INTO messages (id, room_id, seq, author_id, body, idempotency_key)
            SELECT @id, @roomId, room.last_seq, @authorId, @body, @idempotencyKey FROM room
            RETURNING id, room_id, seq, author_id, body, created_at, edited_at, deleted_at
        )
        SELECT i.id AS Id, i.room_id AS RoomId, i.seq AS Seq, i.author_id AS AuthorId, i.body AS Body,
               i.created_at AS CreatedAt, i.edited_at AS EditedAt, i.deleted_at AS DeletedAt,
               room.access_version AS AccessVersion
        FROM inserted i, room
        """;

    public const string IdempotencyKeyIndex = "messages_idempotency_key";

    private const string SelectByKey = $"""
        SELECT {Columns} FROM messages
        WHERE room_id = @roomId AND author_id = @authorId AND idempotency_key = @idempotencyKey
        """;

    private const string SelectById = $"SELECT {Columns} FROM messages WHERE id = @messageId AND room_id = @roomId";

    private const string SelectByIdForUpdate = SelectById + " FOR UPDATE";

    private const string Latest = $"SELECT {Columns} FROM messages WHERE room_id = @roomId ORDER BY seq DESC LIMIT @take";

    private const string Before = $"SELECT {Columns} FROM messages WHERE room_id = @roomId AND seq < @seq ORDER BY seq DESC LIMIT @take";

    private const string After = $"SELECT {Columns} FROM messages WHERE room_id = @roomId AND seq > @seq ORDER BY seq LIMIT @take";

    private const string Edit = $"""
        UPDATE messages SET body = @body, edited_at = now()
        WHERE id = @messageId AND room_id = @roomId
        RETURNING {Columns}
        """;

    // A tombstone: the body goes, the seq stays so clients that page by seq see no hole.
    private const string Tombstone = $"""
        UPDATE messages SET body = NULL, deleted_at = now()
        WHERE id = @messageId AND room_id = @roomId AND deleted_at IS NULL
        RETURNING {Columns}
        """;

    /// <summary>Null when the author is not a member of the room; a duplicate key throws 23505 (see <see cref="IdempotencyKeyIndex"/>).</summary>
    public static Task<PostedRow?> PostAsync(
        NpgsqlConnection db, Guid id, Guid roomId, Guid authorId, string body, string? idempotencyKey, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<PostedRow>(new CommandDefinition(Post, new { id, roomId, authorId, body, idempotencyKey }, cancellationToken: ct));

    public static Task<MessageRow?> FindByKeyAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid roomId, Guid authorId, string idempotencyKey, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(SelectByKey, new { roomId, authorId, idempotencyKey }, tx, cancellationToken: ct));

    public static Task<MessageRow?> FindForUpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid messageId, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(SelectByIdForUpdate, new { roomId, messageId }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<MessageRow>> LatestAsync(NpgsqlConnection db, Guid roomId, int take, CancellationToken ct) =>
        [.. await db.QueryAsync<MessageRow>(new CommandDefinition(Latest, new { roomId, take }, cancellationToken: ct))];

    public static async Task<IReadOnlyList<MessageRow>> BeforeAsync(NpgsqlConnection db, Guid roomId, long seq, int take, CancellationToken ct) =>
        [.. await db.QueryAsync<MessageRow>(new CommandDefinition(Before, new { roomId, seq, take }, cancellationToken: ct))];

    public static async Task<IReadOnlyList<MessageRow>> AfterAsync(NpgsqlConnection db, Guid roomId, long seq, int take, CancellationToken ct) =>
        [.. await db.QueryAsync<MessageRow>(new CommandDefinition(After, new { roomId, seq, take }, cancellationToken: ct))];

    public static Task<MessageRow> EditAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid messageId, string body, CancellationToken ct) =>
        db.QuerySingleAsync<MessageRow>(new CommandDefinition(Edit, new { roomId, messageId, body }, tx, cancellationToken: ct));

    public static Task<MessageRow?> TombstoneAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid messageId, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(Tombstone, new { roomId, messageId }, tx, cancellationToken: ct));
}
