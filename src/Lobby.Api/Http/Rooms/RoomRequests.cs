namespace Lobby.Api.Http.Rooms;

// A parameter with a default is optional in the contract; one without is required.
internal sealed record CreateRoomRequest(string? Name, string? Visibility, string? Topic = null);

/// <summary>Only the fields given change; ownerId hands the room to another member.</summary>
internal sealed record UpdateRoomRequest(string? Name, string? Topic, string? Visibility, Guid? OwnerId);

internal sealed record AddMemberRequest(Guid? UserId);

internal sealed record MessageRequest(string? Body);

/// <summary>The seq of the last message seen; the read position never moves back.</summary>
internal sealed record ReadRequest(long? Seq);

internal sealed record OpenDirectMessageRequest(Guid? UserId);
