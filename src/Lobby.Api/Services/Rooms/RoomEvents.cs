using System.Text.Json.Serialization;

namespace Lobby.Api.Services.Rooms;

/// <summary>Something that happened in a room, for live delivery: { type, roomId, seq?, data }.</summary>
internal sealed record RoomEvent(string Type, Guid RoomId, long? Seq, object Data)
{
    public const string MessageCreated = "message.created";
    public const string MessageUpdated = "message.updated";
    public const string MessageDeleted = "message.deleted";
    public const string MemberJoined = "member.joined";
    public const string MemberLeft = "member.left";
    public const string MemberUpdated = "member.updated";
    public const string RoomUpdated = "room.updated";
    public const string RoomDeleted = "room.deleted";
    public const string Presence = "presence";
    public const string Typing = "typing";
    public const string ReadUpdated = "read.updated";
    public const string DmCreated = "dm.created";
    public const string RoomAdded = "room.added";

    /// <summary>The room's access version when the change committed (not sent to clients; see docs/REALTIME.md).</summary>
    [JsonIgnore]
    public long AccessVersion { get; init; }

    /// <summary>The user a membership event is about (member.joined, member.left); not sent to clients.</summary>
    [JsonIgnore]
    public Guid? Subject { get; init; }

    /// <summary>
    /// Set for events meant for one user only (read.updated): delivered to that user's connections,
    /// whether or not they follow the room, and to nobody else; not sent to clients.
    /// </summary>
    [JsonIgnore]
    public Guid? ForUser { get; init; }

    /// <summary>The connection that caused it, which does not get it back (typing); not sent to clients.</summary>
    [JsonIgnore]
    public string? FromConnection { get; init; }
}

/// <summary>
/// Where committed room changes go for live delivery. Publishing never waits: services call it
/// after their statement or transaction committed, and neither a client nor the transport can
/// hold them up (the delivery pipeline orders and completes events per connection by seq).
/// </summary>
internal interface IRoomEventPublisher
{
    void Publish(RoomEvent roomEvent);
}
