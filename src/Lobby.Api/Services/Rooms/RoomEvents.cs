namespace Lobby.Api.Services.Rooms;

/// <summary>Something that happened in a room, for live delivery: { type, roomId, seq?, data }.</summary>
internal sealed record RoomEvent(string Type, Guid RoomId, long? Seq, object Data)
{
    public const string MessageCreated = "message.created";
    public const string MessageUpdated = "message.updated";
    public const string MessageDeleted = "message.deleted";
    public const string MemberJoined = "member.joined";
    public const string MemberLeft = "member.left";
    public const string RoomUpdated = "room.updated";
    public const string RoomDeleted = "room.deleted";
    public const string Presence = "presence";
    public const string Typing = "typing";
}

/// <summary>
/// Where committed room events go. Services change a room inside <see cref="EnterAsync"/> and
/// publish after their transaction committed, still inside it (see <see cref="RoomGates"/>).
/// </summary>
internal interface IRoomEventPublisher
{
    ValueTask<IAsyncDisposable> EnterAsync(Guid roomId, CancellationToken ct);

    Task PublishAsync(RoomEvent roomEvent, CancellationToken ct);
}
