using Lobby.Api.Services.Users;

namespace Lobby.Api.Services.Rooms;

/// <summary>Who is acting: the signed-in user and their global role.</summary>
internal sealed record Actor(Guid UserId, string Role);

/// <summary>
/// A room as the caller sees it; myRole is owner, member or null. kind is room or dm; a dm is
/// named after the other person, who is peer. lastReadSeq and unreadCount are the caller's own
/// read state (0 when not a member): unreadCount = lastSeq - lastReadSeq.
/// </summary>
internal sealed record RoomView(
    Guid Id, string Name, string Topic, string Visibility, Guid OwnerId, long LastSeq, DateTime CreatedAt, DateTime UpdatedAt, string? MyRole,
    string Kind, long LastReadSeq, long UnreadCount, UserSummary? Peer);

internal sealed record MemberView(Guid UserId, string DisplayName, string Role, DateTime JoinedAt);

/// <summary>A message with its author's current display name; a deleted one keeps its seq with a null body and deletedAt set.</summary>
internal sealed record MessageView(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, UserSummary Author, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt);

/// <summary>
/// A page of messages. nextCursor continues in the same direction (older for the latest page and
/// before=, newer for after=); null when there is nothing more that way right now.
/// </summary>
internal sealed record MessagePage(IReadOnlyList<MessageView> Items, string? NextCursor);

/// <summary>My read position in a room: unreadCount = the room's lastSeq - lastReadSeq.</summary>
internal sealed record ReadState(Guid RoomId, long LastReadSeq, long UnreadCount);

/// <summary>Changes to a room; null fields stay as they are.</summary>
internal sealed record RoomChanges(string? Name, string? Topic, string? Visibility, Guid? OwnerId);

/// <summary>Outcome of a post: Created is false when an Idempotency-Key replay returned the original.</summary>
internal sealed record PostResult(MessageView Message, bool Created);

/// <summary>Data of a member.left event.</summary>
internal sealed record MemberLeftData(Guid UserId);

/// <summary>Data of events that name a room only: room.deleted, room.added, dm.created.</summary>
internal sealed record RoomRef(Guid RoomId);

/// <summary>Data of a typing event.</summary>
internal sealed record UserRef(Guid UserId);

/// <summary>Data of a presence event: who is online in the room.</summary>
internal sealed record PresenceData(Guid[] UserIds);

/// <summary>Data of subscription.ended: why nothing more comes from the room.</summary>
internal sealed record SubscriptionEndedData(string Reason);

/// <summary>Data of server.restarting: reconnect (to another replica) now.</summary>
internal sealed record RestartHint(bool Reconnect);
