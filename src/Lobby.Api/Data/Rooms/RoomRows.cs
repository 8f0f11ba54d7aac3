namespace Lobby.Api.Data.Rooms;

/// <summary>A room with the caller's own membership role (null when not a member).</summary>
/// AccessVersion grows when someone may lose sight of the room (see RoomQueries and docs/REALTIME.md).
internal sealed record RoomRow(
    Guid Id, string Name, string Topic, string Visibility, Guid OwnerId, long LastSeq, DateTime CreatedAt, DateTime UpdatedAt, string? MyRole,
    long AccessVersion);

internal sealed record MemberRow(Guid UserId, string DisplayName, string Role, DateTime JoinedAt);

internal sealed record MessageRow(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt);

/// <summary>A message just posted, with the room's access version it was committed under.</summary>
internal sealed record PostedRow(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt, long AccessVersion)
{
    public MessageRow Message => new(Id, RoomId, Seq, AuthorId, Body, CreatedAt, EditedAt, DeletedAt);
}
