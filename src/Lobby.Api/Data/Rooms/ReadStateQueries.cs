using Npgsql;

namespace Lobby.Api.Data.Rooms;

/// <summary>A member's read position per room (migration 00006): it only ever moves forward.</summary>
internal static class ReadStateQueries
{
    // Monotonic and bounded: never back, never past the room's last message. Returns a row only
    // when the position moved, so an unchanged read tells nobody anything.
    // (So the greatest(..., 0) in the row's column list changes nothing here.)
    private const string MarkRead = $"""
        UPDATE room_members m SET last_read_seq = least(@seq, r.last_seq)
        FROM rooms r
        WHERE r.id = m.room_id AND m.room_id = @roomId AND m.user_id = @userId AND m.last_read_seq < least(@seq, r.last_seq)
        RETURNING {ReadStateRow.Columns}
        """;

    private const string Current = $"""
        SELECT {ReadStateRow.Columns}
        FROM room_members m JOIN rooms r ON r.id = m.room_id
        WHERE m.room_id = @roomId AND m.user_id = @userId
        """;

    /// <summary>The new position when it moved; null when it did not (or the user is not a member).</summary>
    public static Task<ReadStateRow?> MarkReadAsync(NpgsqlConnection db, Guid roomId, Guid userId, long seq, CancellationToken ct) =>
        Sql.Command(db, null, MarkRead).With("roomId", roomId).With("userId", userId).With("seq", seq).SingleOrDefaultAsync(ReadStateRow.Read, ct);

    /// <summary>The position as it is; null when the user is not a member.</summary>
    public static Task<ReadStateRow?> CurrentAsync(NpgsqlConnection db, Guid roomId, Guid userId, CancellationToken ct) =>
        Sql.Command(db, null, Current).With("roomId", roomId).With("userId", userId).SingleOrDefaultAsync(ReadStateRow.Read, ct);
}
