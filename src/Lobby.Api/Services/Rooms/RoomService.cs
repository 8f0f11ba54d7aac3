using Lobby.Api.Data;
using Lobby.Api.Data.Rooms;
using Lobby.Api.Services.Limits;
using Lobby.Api.Services.Users;
using Lobby.Api.Store;
using Npgsql;

namespace Lobby.Api.Services.Rooms;

/// <summary>Rooms: create, find, list, change, delete.</summary>
internal sealed class RoomService(Database database, IRoomEventPublisher events, UserActionLimiter limiter)
{
    private const string NoSuchRoom = "No room with this id.";

    public async Task<RoomView> CreateAsync(Actor actor, string? name, string? topic, string? visibility, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var cleanName = RoomRules.Name(name, errors);
        var cleanTopic = RoomRules.Topic(topic, errors);
        var cleanVisibility = RoomRules.Visibility(visibility, errors);
        RoomRules.ThrowIfAny(errors);

        await limiter.AcquireAsync(actor.UserId, UserAction.CreateRoom, ct);
        var row = await database.WithConnectionAsync(
            db => RoomQueries.InsertAsync(db, null, cleanName, cleanTopic, cleanVisibility, actor.UserId, ct), ct);
        return ToView(row);
    }

    public async Task<RoomView> GetAsync(Actor actor, Guid roomId, CancellationToken ct)
    {
        var row = await database.WithConnectionAsync(db => RoomQueries.FindForUserAsync(db, null, roomId, actor.UserId, ct), ct);
        return ToView(Visible(row, actor));
    }

    public async Task<Page<RoomView>> ListAsync(Actor actor, string? query, string? mine, string? cursor, string? limit, CancellationToken ct)
    {
        var page = Paging.Parse(cursor, limit);
        var prefix = query?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (TextRules.Malformed(prefix) is { } bad)
        {
            // PostgreSQL cannot take a NUL even as a parameter: refuse it like any text field.
            errors["query"] = ["query " + bad];
        }
        else if (prefix.Length > RoomRules.MaxNameLength)
        {
            errors["query"] = [$"query must be at most {RoomRules.MaxNameLength} characters."];
        }

        var onlyMine = mine?.ToLowerInvariant() switch
        {
            null or "" or "false" => false,
            "true" => true,
            _ => AddError(errors, "mine", "mine must be true or false."),
        };
        RoomRules.ThrowIfAny(errors);

        var rows = await database.WithConnectionAsync(db => RoomQueries.ListAsync(db, actor.UserId, prefix, onlyMine, page.After, page.Limit + 1, ct), ct);
        return Paging.Build([.. rows.Select(ToView)], page.Limit, r => r.Id);
    }

    public async Task<RoomView> UpdateAsync(Actor actor, Guid roomId, RoomChanges changes, CancellationToken ct)
    {
        if (changes is { Name: null, Topic: null, Visibility: null, OwnerId: null })
        {
            throw ValidationFailedException.For("name", "Give at least one of name, topic, visibility or ownerId.");
        }

        var errors = new Dictionary<string, string[]>();
        var name = changes.Name is null ? null : RoomRules.Name(changes.Name, errors);
        var topic = changes.Topic is null ? null : RoomRules.Topic(changes.Topic, errors);
        var visibility = changes.Visibility is null ? null : RoomRules.Visibility(changes.Visibility, errors);
        RoomRules.ThrowIfAny(errors);

        await limiter.AcquireAsync(actor.UserId, UserAction.Edit, ct);
        var updated = await database.InTransactionAsync(async (db, tx) =>
        {
            var room = Visible(await RoomQueries.FindForUserForUpdateAsync(db, tx, roomId, actor.UserId, ct), actor);
            NotDirect(room, "A direct message cannot be renamed, opened up or handed over.");
            if (!RoomPermissions.CanEditRoom(room.MyRole, actor))
            {
                throw new ForbiddenException("Only the owner, a moderator or an admin may change this room.");
            }

            var ownerId = room.OwnerId;
            if (changes.OwnerId is { } newOwner && newOwner != room.OwnerId)
            {
                await TransferOwnershipAsync(db, tx, actor, room, newOwner, ct);
                ownerId = newOwner;
            }

            await RoomQueries.UpdateAsync(db, tx, roomId, name ?? room.Name, topic ?? room.Topic, visibility ?? room.Visibility, ownerId, ct);
            return await RoomQueries.FindForUserAsync(db, tx, roomId, actor.UserId, ct);
        }, ct);

        var view = ToView(updated!);
        events.Publish(new RoomEvent(RoomEvent.RoomUpdated, roomId, null, view) { AccessVersion = updated!.AccessVersion });
        return view;
    }

    public async Task DeleteAsync(Actor actor, Guid roomId, CancellationToken ct)
    {
        await limiter.AcquireAsync(actor.UserId, UserAction.Edit, ct);
        await database.InTransactionAsync(async (db, tx) =>
        {
            var room = Visible(await RoomQueries.FindForUserForUpdateAsync(db, tx, roomId, actor.UserId, ct), actor);
            if (!RoomPermissions.CanDeleteRoom(room.MyRole, actor))
            {
                throw new ForbiddenException("Only the owner or an admin may delete this room.");
            }

            await RoomQueries.DeleteAsync(db, tx, roomId, ct);
        }, ct);
        events.Publish(new RoomEvent(RoomEvent.RoomDeleted, roomId, null, new RoomRef(roomId)));
    }

    /// <summary>The room if the actor may see it; a private room of others is reported exactly like a missing one.</summary>
    internal static RoomRow Visible(RoomRow? room, Actor actor) =>
        room is not null && RoomPermissions.CanSee(room.Kind, room.Visibility, room.MyRole, actor)
            ? room
            : throw new NotFoundException(NoSuchRoom);

    /// <summary>Refuses a room-management change on a direct message (409): it stays between its two people.</summary>
    internal static void NotDirect(RoomRow room, string message)
    {
        if (room.Kind == RoomPermissions.KindDm)
        {
            throw new ConflictException(message);
        }
    }

    internal static RoomView ToView(RoomRow r) =>
        new(r.Id, r.Name, r.Topic, r.Visibility, r.OwnerId, r.LastSeq, r.CreatedAt, r.UpdatedAt, r.MyRole, r.Kind, r.LastReadSeq, r.UnreadCount,
            r.PeerId is { } peer ? new UserSummary(peer, r.PeerName ?? "") : null);

    private static async Task TransferOwnershipAsync(NpgsqlConnection db, NpgsqlTransaction tx, Actor actor, RoomRow room, Guid newOwner, CancellationToken ct)
    {
        if (!RoomPermissions.CanTransferOwnership(room.MyRole, actor))
        {
            throw new ForbiddenException("Only the owner or an admin may hand the room over.");
        }

        if (await MemberQueries.RoleOfAsync(db, tx, room.Id, newOwner, ct) is null)
        {
            throw ValidationFailedException.For("ownerId", "The new owner must already be a member of the room.");
        }

        await MemberQueries.SetRoleAsync(db, tx, room.Id, room.OwnerId, RoomPermissions.Member, ct);
        await MemberQueries.SetRoleAsync(db, tx, room.Id, newOwner, RoomPermissions.Owner, ct);
    }

    private static bool AddError(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return false;
    }
}
