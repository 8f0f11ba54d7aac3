using Lobby.Api.Data.Rooms;
using Lobby.Api.Services.Limits;
using Lobby.Api.Store;

namespace Lobby.Api.Services.Rooms;

/// <summary>Joining, adding, listing and removing room members.</summary>
internal sealed class MembershipService(Database database, IRoomEventPublisher events, UserActionLimiter limiter)
{
    /// <summary>Joins a public room; joining again changes nothing. Private rooms cannot be joined, only added to.</summary>
    public async Task<(MemberView Member, bool Created)> JoinAsync(Actor actor, Guid roomId, CancellationToken ct)
    {
        await limiter.AcquireAsync(actor.UserId, UserAction.ChangeMembership, ct);
        var result = await database.InTransactionAsync(async (db, tx) =>
        {
            var room = RoomService.Visible(await RoomQueries.FindForUserAsync(db, tx, roomId, actor.UserId, ct), actor);
            if (room.Visibility != RoomPermissions.Public && room.MyRole is null)
            {
                // Staff can see private rooms, but only the owner lets people in.
                throw new ForbiddenException("Private rooms are joined by invitation of their owner.");
            }

            return (await MemberQueries.AddAsync(db, tx, roomId, actor.UserId, ct), room.AccessVersion);
        }, ct);
        return AfterAdd(roomId, result);
    }

    /// <summary>The owner adds someone (to a private room, typically).</summary>
    public async Task<(MemberView Member, bool Created)> AddAsync(Actor actor, Guid roomId, Guid? userId, CancellationToken ct)
    {
        var target = userId ?? throw ValidationFailedException.For("userId", "userId is required.");
        await limiter.AcquireAsync(actor.UserId, UserAction.ChangeMembership, ct);
        var result = await database.InTransactionAsync(async (db, tx) =>
        {
            var room = RoomService.Visible(await RoomQueries.FindForUserAsync(db, tx, roomId, actor.UserId, ct), actor);
            RoomService.NotDirect(room, "A direct message is between two people; create a room to talk with more.");
            if (!RoomPermissions.CanAddMembers(room.MyRole))
            {
                throw new ForbiddenException("Only the room's owner may add members.");
            }

            if (!await MemberQueries.UserExistsAsync(db, tx, target, ct))
            {
                throw ValidationFailedException.For("userId", "No active user with this id.");
            }

            return (await MemberQueries.AddAsync(db, tx, roomId, target, ct), room.AccessVersion);
        }, ct);
        if (result.Item1.Created && target != actor.UserId)
        {
            // The new member follows no such room yet: tell their connections it exists, so lists update live.
            events.Publish(new RoomEvent(RoomEvent.RoomAdded, roomId, null, new RoomRef(roomId)) { ForUser = target });
        }

        return AfterAdd(roomId, result);
    }

    public async Task<Page<MemberView>> ListAsync(Actor actor, Guid roomId, string? cursor, string? limit, CancellationToken ct)
    {
        var page = Paging.Parse(cursor, limit);
        var rows = await database.WithConnectionAsync(async db =>
        {
            RoomService.Visible(await RoomQueries.FindForUserAsync(db, null, roomId, actor.UserId, ct), actor);
            return await MemberQueries.PageAsync(db, roomId, page.After, page.Limit + 1, ct);
        }, ct);
        return Paging.Build([.. rows.Select(ToView)], page.Limit, m => m.UserId);
    }

    /// <summary>Leave (yourself) or remove someone (owner, moderator, admin). The owner never leaves this way.</summary>
    public async Task RemoveAsync(Actor actor, Guid roomId, Guid userId, CancellationToken ct)
    {
        await limiter.AcquireAsync(actor.UserId, UserAction.ChangeMembership, ct);
        var accessVersion = await database.InTransactionAsync(async (db, tx) =>
        {
            var room = RoomService.Visible(await RoomQueries.FindForUserAsync(db, tx, roomId, actor.UserId, ct), actor);
            RoomService.NotDirect(room, "Nobody leaves or is removed from a direct message.");
            var self = userId == actor.UserId;
            if (!self && !RoomPermissions.CanRemoveOthers(room.MyRole, actor))
            {
                throw new ForbiddenException("Only the owner, a moderator or an admin may remove other members.");
            }

            if (userId == room.OwnerId)
            {
                throw new ConflictException(self
                    ? "The owner cannot leave: hand the room over (PATCH ownerId) or delete it."
                    : "The owner cannot be removed from their room.");
            }

            if (!await MemberQueries.RemoveAsync(db, tx, roomId, userId, ct))
            {
                throw new NotFoundException("This user is not a member of the room.");
            }

            // After the membership row is gone: a post by the removed member either committed
            // first or finds no membership (MessageQueries.Post), and live delivery re-checks.
            return await RoomQueries.BumpAccessVersionAsync(db, tx, roomId, ct);
        }, ct);
        events.Publish(new RoomEvent(RoomEvent.MemberLeft, roomId, null, new MemberLeftData(userId)) { AccessVersion = accessVersion, Subject = userId });
    }

    private (MemberView Member, bool Created) AfterAdd(Guid roomId, ((MemberRow Member, bool Created) Added, long AccessVersion) result)
    {
        var view = ToView(result.Added.Member);
        if (result.Added.Created)
        {
            events.Publish(new RoomEvent(RoomEvent.MemberJoined, roomId, null, view) { AccessVersion = result.AccessVersion, Subject = view.UserId });
        }

        return (view, result.Added.Created);
    }

    internal static MemberView ToView(MemberRow m) => new(m.UserId, m.DisplayName, m.Role, m.JoinedAt);
}
