using Lobby.Api.Security;

namespace Lobby.Api.Services.Rooms;

/// <summary>
/// Who may do what in a room, from the room's visibility, the caller's room role and global
/// role. Pure, so the whole matrix is unit-tested. MODERATOR and ADMIN see and moderate every
/// room, private ones included; posting needs membership for everyone. A direct message is
/// between its two participants only: no moderation reaches it, it exists for nobody else.
/// </summary>
internal static class RoomPermissions
{
    public const string Owner = "owner";
    public const string Member = "member";
    public const string Public = "public";
    public const string Private = "private";
    public const string KindRoom = "room";
    public const string KindDm = "dm";

    public static bool IsStaff(Actor actor) => actor.Role is Roles.Moderator or Roles.Admin;

    /// <summary>A room the caller may not see does not exist for them: 404, never 403.</summary>
    public static bool CanSee(string kind, string visibility, string? myRole, Actor actor) =>
        kind == KindDm ? myRole is not null : visibility == Public || myRole is not null || IsStaff(actor);

    public static bool CanPost(string? myRole) => myRole is not null;

    public static bool CanEditRoom(string? myRole, Actor actor) => myRole == Owner || IsStaff(actor);

    public static bool CanDeleteRoom(string? myRole, Actor actor) => myRole == Owner || actor.Role == Roles.Admin;

    public static bool CanTransferOwnership(string? myRole, Actor actor) => myRole == Owner || actor.Role == Roles.Admin;

    public static bool CanAddMembers(string? myRole) => myRole == Owner;

    public static bool CanRemoveOthers(string? myRole, Actor actor) => myRole == Owner || IsStaff(actor);

    public static bool CanDeleteMessage(string kind, Guid authorId, string? myRole, Actor actor) =>
        authorId == actor.UserId || (kind != KindDm && (myRole == Owner || IsStaff(actor)));
}
