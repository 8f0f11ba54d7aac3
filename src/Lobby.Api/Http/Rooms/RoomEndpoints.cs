using System.Security.Claims;
using Lobby.Api.Http.OpenApi;
using Lobby.Api.Security;
using Lobby.Api.Services;
using Lobby.Api.Services.Rooms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Lobby.Api.Http.Rooms;

internal static class RoomEndpoints
{
    public static IEndpointRouteBuilder MapRooms(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/api/v1/rooms").WithTags("Rooms").RequireAuthorization(Policies.User);
        rooms.MapGet("", ListRooms).WithName("listRooms").WithSummary("Rooms I can see: public ones and those I belong to").ProducesErrors(400);
        rooms.MapPost("", CreateRoom).WithName("createRoom").WithSummary("Create a room; I become its owner").ProducesErrors(409, 429);
        rooms.MapGet("/{id}", GetRoom).WithName("getRoom").WithSummary("One room").ProducesErrors(400, 404);
        rooms.MapPatch("/{id}", UpdateRoom).WithName("updateRoom").WithSummary("Change a room (owner or moderator); ownerId hands it over").ProducesErrors(403, 404, 409, 429);
        rooms.MapDelete("/{id}", DeleteRoom).WithName("deleteRoom").WithSummary("Delete a room with its messages (owner or moderator)").ProducesErrors(400, 403, 404, 429);

        rooms.MapPost("/{id}/join", Join).WithName("joinRoom").WithSummary("Join a public room (200 when already a member)").ProducesErrors(400, 403, 404, 409, 429);
        rooms.MapGet("/{id}/members", ListMembers).WithName("listMembers").WithSummary("Members of a room").ProducesErrors(400, 404);
        rooms.MapPost("/{id}/members", AddMember).WithName("addMember").WithSummary("Add someone to a room (its owner only; 200 when already a member)").ProducesErrors(403, 404, 409, 429);
        rooms.MapDelete("/{id}/members/{userId}", RemoveMember).WithName("removeMember").WithSummary("Leave a room, or remove someone from it").ProducesErrors(400, 403, 404, 409, 429);

        rooms.MapPost("/{id}/read", MarkRead).WithName("markRead").WithSummary("Mark the room read up to a seq (never moves back); my other devices are told live").ProducesErrors(400, 403, 404);

        rooms.MapGet("/{id}/messages", ListMessages).WithName("listMessages").WithSummary("Messages of a room by seq: the latest, before a seq or after one").ProducesErrors(400, 404);
        rooms.MapPost("/{id}/messages", PostMessage).WithName("postMessage").WithSummary("Post a message (idempotent with an Idempotency-Key)").ProducesErrors(403, 404, 429);
        rooms.MapPatch("/{id}/messages/{messageId}", EditMessage).WithName("editMessage").WithSummary("Edit my message").ProducesErrors(403, 404, 409, 429);
        rooms.MapDelete("/{id}/messages/{messageId}", DeleteMessage).WithName("deleteMessage").WithSummary("Delete a message (its author, the room owner or a moderator)").ProducesErrors(400, 403, 404, 409, 429);

        var dms = app.MapGroup("/api/v1/dms").WithTags("Direct messages").RequireAuthorization(Policies.User);
        dms.MapGet("", ListDirectMessages).WithName("listDirectMessages").WithSummary("My direct messages, each named after the other person").ProducesErrors(400);
        dms.MapPost("", OpenDirectMessage).WithName("openDirectMessage").WithSummary("The direct message with someone, created on first use (200 when it exists, from either side)").ProducesErrors(429);
        return app;
    }

    internal static async Task<Ok<Page<RoomView>>> ListDirectMessages(string? cursor, string? limit, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct) =>
        TypedResults.Ok(await dms.ListAsync(Actor(user), cursor, limit, ct));

    internal static async Task<Results<Created<RoomView>, Ok<RoomView>>> OpenDirectMessage(
        OpenDirectMessageRequest body, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct)
    {
        var (room, created) = await dms.OpenAsync(Actor(user), body.UserId, ct);
        return created ? TypedResults.Created($"/api/v1/rooms/{room.Id}", room) : TypedResults.Ok(room);
    }

    internal static async Task<Ok<ReadState>> MarkRead(Guid id, ReadRequest body, ClaimsPrincipal user, ReadStateService reads, CancellationToken ct) =>
        TypedResults.Ok(await reads.MarkReadAsync(Actor(user), id, body.Seq, ct));

    internal static async Task<Ok<Page<RoomView>>> ListRooms(
        string? query, string? mine, string? cursor, string? limit, ClaimsPrincipal user, RoomService rooms, CancellationToken ct) =>
        TypedResults.Ok(await rooms.ListAsync(Actor(user), query, mine, cursor, limit, ct));

    internal static async Task<Created<RoomView>> CreateRoom(CreateRoomRequest body, ClaimsPrincipal user, RoomService rooms, CancellationToken ct)
    {
        var room = await rooms.CreateAsync(Actor(user), body.Name, body.Topic, body.Visibility, ct);
        return TypedResults.Created($"/api/v1/rooms/{room.Id}", room);
    }

    internal static async Task<Ok<RoomView>> GetRoom(Guid id, ClaimsPrincipal user, RoomService rooms, CancellationToken ct) =>
        TypedResults.Ok(await rooms.GetAsync(Actor(user), id, ct));

    internal static async Task<Ok<RoomView>> UpdateRoom(Guid id, UpdateRoomRequest body, ClaimsPrincipal user, RoomService rooms, CancellationToken ct) =>
        TypedResults.Ok(await rooms.UpdateAsync(Actor(user), id, new RoomChanges(body.Name, body.Topic, body.Visibility, body.OwnerId), ct));

    internal static async Task<NoContent> DeleteRoom(Guid id, ClaimsPrincipal user, RoomService rooms, CancellationToken ct)
    {
        await rooms.DeleteAsync(Actor(user), id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Created<MemberView>, Ok<MemberView>>> Join(Guid id, ClaimsPrincipal user, MembershipService members, CancellationToken ct) =>
        Member(id, await members.JoinAsync(Actor(user), id, ct));

    internal static async Task<Ok<Page<MemberView>>> ListMembers(Guid id, string? cursor, string? limit, ClaimsPrincipal user, MembershipService members, CancellationToken ct) =>
        TypedResults.Ok(await members.ListAsync(Actor(user), id, cursor, limit, ct));

    internal static async Task<Results<Created<MemberView>, Ok<MemberView>>> AddMember(
        Guid id, AddMemberRequest body, ClaimsPrincipal user, MembershipService members, CancellationToken ct) =>
        Member(id, await members.AddAsync(Actor(user), id, body.UserId, ct));

    internal static async Task<NoContent> RemoveMember(Guid id, Guid userId, ClaimsPrincipal user, MembershipService members, CancellationToken ct)
    {
        await members.RemoveAsync(Actor(user), id, userId, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<MessagePage>> ListMessages(
        Guid id, string? before, string? after, string? cursor, string? limit, ClaimsPrincipal user, MessageService messages, CancellationToken ct) =>
        TypedResults.Ok(await messages.ListAsync(Actor(user), id, before, after, cursor, limit, ct));

    /// <summary>201 with the new message, or, for a retry with a known Idempotency-Key, 200 with the original.</summary>
    internal static async Task<Results<Created<MessageView>, Ok<MessageView>>> PostMessage(
        Guid id, MessageRequest body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext http, ClaimsPrincipal user, MessageService messages, CancellationToken ct)
    {
        // Binding turns an empty header into null; a key that was sent empty is still malformed.
        var key = http.Request.Headers.ContainsKey("Idempotency-Key") ? idempotencyKey ?? "" : null;
        var result = await messages.PostAsync(Actor(user), id, body.Body, key, ct);
        return result.Created
            ? TypedResults.Created($"/api/v1/rooms/{id}/messages/{result.Message.Id}", result.Message)
            : TypedResults.Ok(result.Message);
    }

    internal static async Task<Ok<MessageView>> EditMessage(
        Guid id, Guid messageId, MessageRequest body, ClaimsPrincipal user, MessageService messages, CancellationToken ct) =>
        TypedResults.Ok(await messages.EditAsync(Actor(user), id, messageId, body.Body, ct));

    internal static async Task<NoContent> DeleteMessage(Guid id, Guid messageId, ClaimsPrincipal user, MessageService messages, CancellationToken ct)
    {
        await messages.DeleteAsync(Actor(user), id, messageId, ct);
        return TypedResults.NoContent();
    }

    private static Actor Actor(ClaimsPrincipal user) => new(user.UserId(), user.Role());

    private static Results<Created<MemberView>, Ok<MemberView>> Member(Guid roomId, (MemberView Member, bool Created) result) =>
        result.Created
            ? TypedResults.Created($"/api/v1/rooms/{roomId}/members/{result.Member.UserId}", result.Member)
            : TypedResults.Ok(result.Member);
}
