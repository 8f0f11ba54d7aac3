namespace Lobby.Api.Data.Rooms;

/// <summary>A room with the caller's own membership role (null when not a member).</summary>
internal sealed record RoomRow(
    Guid Id, string Name, string Topic, string Visibility, Guid OwnerId, long LastSeq, DateTime CreatedAt, DateTime UpdatedAt, string? MyRole);

internal sealed record MemberRow(Guid UserId, string DisplayName, string Role, DateTime JoinedAt);

internal sealed record MessageRow(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt);
