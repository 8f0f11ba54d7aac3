namespace Lobby.Api.Services.Rooms;

/// <summary>Something that happened in a room, for live delivery. Published only after its transaction committed.</summary>
internal sealed record RoomEvent(string Type, Guid RoomId, long? Seq, object Data)
{
    public const string MessageCreated = "message.created";
    public const string MessageUpdated = "message.updated";
    public const string MessageDeleted = "message.deleted";
    public const string MemberJoined = "member.joined";
    public const string MemberLeft = "member.left";
    public const string RoomUpdated = "room.updated";
    public const string RoomDeleted = "room.deleted";
}

/// <summary>Where room events go once committed (the real-time hub, or nowhere).</summary>
internal interface IRoomEventPublisher
{
    Task PublishAsync(RoomEvent roomEvent, CancellationToken ct);
}

internal sealed class NoRoomEvents : IRoomEventPublisher
{
    public Task PublishAsync(RoomEvent roomEvent, CancellationToken ct) => Task.CompletedTask;
}
