namespace Lobby.Api.Data.Rooms;

/// <summary>A room with the caller's own membership role (null when not a member) and read state.</summary>
/// AccessVersion grows when someone may lose sight of the room (see RoomQueries and docs/REALTIME.md).
/// For a direct message (Kind dm) Name is the other person's display name and Peer* name them.
internal sealed record RoomRow(
    Guid Id, string Name, string Topic, string Visibility, Guid OwnerId, long LastSeq, DateTime CreatedAt, DateTime UpdatedAt, string? MyRole,
    long AccessVersion, string Kind, long LastReadSeq, long UnreadCount, Guid? PeerId, string? PeerName);

internal sealed record MemberRow(Guid UserId, string DisplayName, string Role, DateTime JoinedAt);

/// <summary>One room a user is in, with the room's access version and their member entry.</summary>
internal sealed record MembershipRow(Guid RoomId, long AccessVersion, Guid UserId, string DisplayName, string Role, DateTime JoinedAt)
{
    public MemberRow Member => new(UserId, DisplayName, Role, JoinedAt);
}

internal sealed record MessageRow(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, string AuthorName, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt);

/// <summary>A message just posted, with the room's access version it was committed under.</summary>
internal sealed record PostedRow(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, string AuthorName, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt,
    long AccessVersion)
{
    public MessageRow Message => new(Id, RoomId, Seq, AuthorId, AuthorName, Body, CreatedAt, EditedAt, DeletedAt);
}

/// <summary>A member's read position in a room after a read: unread is the room's last seq minus it.</summary>
internal sealed record ReadStateRow(Guid RoomId, long LastReadSeq, long UnreadCount);
