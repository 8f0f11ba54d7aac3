using Npgsql;

namespace Lobby.Api.Data.Rooms;

/// <summary>A room with the caller's own membership role (null when not a member) and read state.</summary>
/// AccessVersion grows when someone may lose sight of the room (see RoomQueries and docs/REALTIME.md).
/// For a direct message (Kind dm) Name is the other person's display name and Peer* name them.
internal sealed record RoomRow(
    Guid Id, string Name, string Topic, string Visibility, Guid OwnerId, long LastSeq, DateTime CreatedAt, DateTime UpdatedAt, string? MyRole,
    long AccessVersion, string Kind, long LastReadSeq, long UnreadCount, Guid? PeerId, string? PeerName)
{
    /// <summary>
    /// The select list <see cref="Read"/> maps by position, from rooms r, the caller's room_members
    /// row m (outer-joined: all NULL when not a member) and the DM peer's users row p (outer-joined).
    /// Unread is derived from two numbers, never counted over messages (migration 00006).
    /// </summary>
    public const string Columns = """
        r.id, CASE WHEN r.kind = 'dm' THEN coalesce(p.display_name, r.name) ELSE r.name END,
        r.topic, r.visibility, r.owner_id,
        r.last_seq, r.created_at, r.updated_at, m.role,
        r.access_version, r.kind, coalesce(m.last_read_seq, 0),
        CASE WHEN m.user_id IS NULL THEN 0 ELSE greatest(r.last_seq - m.last_read_seq, 0) END,
        p.id, p.display_name
        """;

    public static RoomRow Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetGuid(4), r.GetInt64(5), r.GetDateTime(6), r.GetDateTime(7),
            r.StringOrNull(8), r.GetInt64(9), r.GetString(10), r.GetInt64(11), r.GetInt64(12), r.GuidOrNull(13), r.StringOrNull(14));
}

internal sealed record MemberRow(Guid UserId, string DisplayName, string Role, DateTime JoinedAt)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from room_members m and users u.</summary>
    public const string Columns = "m.user_id, u.display_name, m.role, m.joined_at";

    public static MemberRow Read(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetDateTime(3));
}

/// <summary>One room a user is in, with the room's access version and their member entry.</summary>
internal sealed record MembershipRow(Guid RoomId, long AccessVersion, Guid UserId, string DisplayName, string Role, DateTime JoinedAt)
{
    /// <summary>The member's columns first, then the room's; from room_members m, users u and rooms r.</summary>
    public const string Columns = $"{MemberRow.Columns}, m.room_id, r.access_version";

    public MemberRow Member => new(UserId, DisplayName, Role, JoinedAt);

    public static MembershipRow Read(NpgsqlDataReader r)
    {
        var m = MemberRow.Read(r);
        return new(r.GetGuid(4), r.GetInt64(5), m.UserId, m.DisplayName, m.Role, m.JoinedAt);
    }
}

internal sealed record MessageRow(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, string AuthorName, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt)
{
    /// <summary>
    /// The select list <see cref="Read"/> maps by position, from messages m and the author's users
    /// row u: every message carries its author's current display name (one join on users' primary
    /// key), so a client renders a page without looking authors up one by one.
    /// </summary>
    public const string Columns = "m.id, m.room_id, m.seq, m.author_id, u.display_name, m.body, m.created_at, m.edited_at, m.deleted_at";

    public static MessageRow Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetInt64(2), r.GetGuid(3), r.GetString(4), r.StringOrNull(5), r.GetDateTime(6),
            r.DateTimeOrNull(7), r.DateTimeOrNull(8));
}

/// <summary>A message just posted, with the room's access version it was committed under.</summary>
internal sealed record PostedRow(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, string AuthorName, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt,
    long AccessVersion)
{
    /// <summary>The message's columns, then the access version of the rooms row (or CTE) named room.</summary>
    public const string Columns = $"{MessageRow.Columns}, room.access_version";

    public MessageRow Message => new(Id, RoomId, Seq, AuthorId, AuthorName, Body, CreatedAt, EditedAt, DeletedAt);

    public static PostedRow Read(NpgsqlDataReader r)
    {
        var m = MessageRow.Read(r);
        return new(m.Id, m.RoomId, m.Seq, m.AuthorId, m.AuthorName, m.Body, m.CreatedAt, m.EditedAt, m.DeletedAt, r.GetInt64(9));
    }
}

/// <summary>A member's read position in a room after a read: unread is the room's last seq minus it.</summary>
internal sealed record ReadStateRow(Guid RoomId, long LastReadSeq, long UnreadCount)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from room_members m and rooms r.</summary>
    public const string Columns = "m.room_id, m.last_read_seq, greatest(r.last_seq - m.last_read_seq, 0)";

    public static ReadStateRow Read(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetInt64(1), r.GetInt64(2));
}
