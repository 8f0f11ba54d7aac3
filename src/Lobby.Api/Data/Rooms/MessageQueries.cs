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

    // Takes the room row's lock: concurrent writers to one room queue here, in commit order.
    private const string NextSeq = "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = @roomId RETURNING last_seq";

    private const string Insert = $"""
        INSERT INTO messages (id, room_id, seq, author_id, body, idempotency_key)
        VALUES (@id, @roomId, @seq, @authorId, @body, @idempotencyKey)
        ON CONFLICT (room_id, author_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING {Columns}
        """;

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

    public static Task<long> NextSeqAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, CancellationToken ct) =>
        db.ExecuteScalarAsync<long>(new CommandDefinition(NextSeq, new { roomId }, tx, cancellationToken: ct));

    /// <summary>Null when a message with the same idempotency key already exists.</summary>
    public static Task<MessageRow?> InsertAsync(
        NpgsqlConnection db, NpgsqlTransaction tx, Guid id, Guid roomId, long seq, Guid authorId, string body, string? idempotencyKey, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(Insert, new { id, roomId, seq, authorId, body, idempotencyKey }, tx, cancellationToken: ct));

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
