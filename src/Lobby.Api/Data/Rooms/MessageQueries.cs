using Npgsql;

namespace Lobby.Api.Data.Rooms;

/// <summary>Messages of a room, numbered by the room's gap-free sequence.</summary>
internal static class MessageQueries
{
    private const string From = "messages m JOIN users u ON u.id = m.author_id";

    // One statement, no transaction round trips: the author's membership row is locked (a
    // concurrent removal either waits for this post or makes it find no membership), the room
    // row's lock orders writers (held only until this statement commits), and a duplicate
    // Idempotency-Key fails the insert (23505 on messages_idempotency_key), which rolls the seq
    // bump back with it. So seqs stay gap-free and a writer never waits on a network round trip
    // of another. No row: the author is not a member (or the room does not exist).
    // Posting also marks the room read up to the new message for its author (what they wrote, they
    // have seen): the membership row is locked FOR NO KEY UPDATE up front, before the room row, so
    // that later update in the same statement never waits on anything (and two posts of one author
    // queue on their own row, in the same order every writer takes: membership, then room).
    private const string Post = $"""
        WITH member AS (
            SELECT 1 FROM room_members WHERE room_id = @roomId AND user_id = @authorId FOR NO KEY UPDATE
        ), room AS (
            UPDATE rooms SET last_seq = last_seq + 1
            WHERE id = @roomId AND EXISTS (SELECT 1 FROM member)
            RETURNING last_seq, access_version
        ), inserted AS (
            INSERT INTO messages (id, room_id, seq, author_id, body, idempotency_key)
            SELECT @id, @roomId, room.last_seq, @authorId, @body, @idempotencyKey FROM room
            RETURNING id, room_id, seq, author_id, body, created_at, edited_at, deleted_at
        ), seen AS (
            UPDATE room_members SET last_read_seq = greatest(last_read_seq, room.last_seq)
            FROM room WHERE room_id = @roomId AND user_id = @authorId
        )
        SELECT {PostedRow.Columns}
        FROM inserted m JOIN users u ON u.id = m.author_id, room
        """;

    public const string IdempotencyKeyIndex = "messages_idempotency_key";

    private const string SelectByKey = $"""
        SELECT {MessageRow.Columns} FROM {From}
        WHERE m.room_id = @roomId AND m.author_id = @authorId AND m.idempotency_key = @idempotencyKey
        """;

    private const string SelectById = $"SELECT {MessageRow.Columns} FROM {From} WHERE m.id = @messageId AND m.room_id = @roomId";

    private const string SelectByIdForUpdate = SelectById + " FOR UPDATE OF m";

    private const string Latest = $"SELECT {MessageRow.Columns} FROM {From} WHERE m.room_id = @roomId ORDER BY m.seq DESC LIMIT @take";

    private const string Before = $"SELECT {MessageRow.Columns} FROM {From} WHERE m.room_id = @roomId AND m.seq < @seq ORDER BY m.seq DESC LIMIT @take";

    private const string After = $"SELECT {MessageRow.Columns} FROM {From} WHERE m.room_id = @roomId AND m.seq > @seq ORDER BY m.seq LIMIT @take";

    private const string Edit = $"""
        WITH m AS (
            UPDATE messages SET body = @body, edited_at = now()
            WHERE id = @messageId AND room_id = @roomId
            RETURNING *
        )
        SELECT {MessageRow.Columns} FROM m JOIN users u ON u.id = m.author_id
        """;

    // A tombstone: the body goes, the seq stays so clients that page by seq see no hole.
    private const string Tombstone = $"""
        WITH m AS (
            UPDATE messages SET body = NULL, deleted_at = now()
            WHERE id = @messageId AND room_id = @roomId AND deleted_at IS NULL
            RETURNING *
        )
        SELECT {MessageRow.Columns} FROM m JOIN users u ON u.id = m.author_id
        """;

    /// <summary>Null when the author is not a member of the room; a duplicate key throws 23505 (see <see cref="IdempotencyKeyIndex"/>).</summary>
    public static Task<PostedRow?> PostAsync(
        NpgsqlConnection db, Guid id, Guid roomId, Guid authorId, string body, string? idempotencyKey, CancellationToken ct) =>
        Sql.Command(db, null, Post).With("id", id).With("roomId", roomId).With("authorId", authorId).With("body", body)
            .With("idempotencyKey", idempotencyKey).SingleOrDefaultAsync(PostedRow.Read, ct);

    public static Task<MessageRow?> FindByKeyAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid roomId, Guid authorId, string idempotencyKey, CancellationToken ct) =>
        Sql.Command(db, tx, SelectByKey).With("roomId", roomId).With("authorId", authorId).With("idempotencyKey", idempotencyKey)
            .SingleOrDefaultAsync(MessageRow.Read, ct);

    public static Task<MessageRow?> FindForUpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid messageId, CancellationToken ct) =>
        Sql.Command(db, tx, SelectByIdForUpdate).With("roomId", roomId).With("messageId", messageId).SingleOrDefaultAsync(MessageRow.Read, ct);

    public static async Task<IReadOnlyList<MessageRow>> LatestAsync(NpgsqlConnection db, Guid roomId, int take, CancellationToken ct) =>
        await Sql.Command(db, null, Latest).With("roomId", roomId).With("take", take).ListAsync(MessageRow.Read, ct);

    public static async Task<IReadOnlyList<MessageRow>> BeforeAsync(NpgsqlConnection db, Guid roomId, long seq, int take, CancellationToken ct) =>
        await Sql.Command(db, null, Before).With("roomId", roomId).With("seq", seq).With("take", take).ListAsync(MessageRow.Read, ct);

    public static async Task<IReadOnlyList<MessageRow>> AfterAsync(NpgsqlConnection db, Guid roomId, long seq, int take, CancellationToken ct) =>
        await Sql.Command(db, null, After).With("roomId", roomId).With("seq", seq).With("take", take).ListAsync(MessageRow.Read, ct);

    public static Task<MessageRow> EditAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid messageId, string body, CancellationToken ct) =>
        Sql.Command(db, tx, Edit).With("roomId", roomId).With("messageId", messageId).With("body", body).SingleAsync(MessageRow.Read, ct);

    public static Task<MessageRow?> TombstoneAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid roomId, Guid messageId, CancellationToken ct) =>
        Sql.Command(db, tx, Tombstone).With("roomId", roomId).With("messageId", messageId).SingleOrDefaultAsync(MessageRow.Read, ct);
}
