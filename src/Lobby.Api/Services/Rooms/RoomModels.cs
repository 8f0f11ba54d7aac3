namespace Lobby.Api.Services.Rooms;

/// <summary>Who is acting: the signed-in user and their global role.</summary>
internal sealed record Actor(Guid UserId, string Role);

/// <summary>A room as the caller sees it; myRole is owner, member or null.</summary>
internal sealed record RoomView(
    Guid Id, string Name, string Topic, string Visibility, Guid OwnerId, long LastSeq, DateTime CreatedAt, DateTime UpdatedAt, string? MyRole);

internal sealed record MemberView(Guid UserId, string DisplayName, string Role, DateTime JoinedAt);

/// <summary>A message; a deleted one keeps its seq with a null body and deletedAt set.</summary>
internal sealed record MessageView(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt);

/// <summary>Changes to a room; null fields stay as they are.</summary>
internal sealed record RoomChanges(string? Name, string? Topic, string? Visibility, Guid? OwnerId);

/// <summary>Outcome of a post: Created is false when an Idempotency-Key replay returned the original.</summary>
internal sealed record PostResult(MessageView Message, bool Created);

/// <summary>Data of a member.left event.</summary>
internal sealed record MemberLeftData(Guid UserId);
