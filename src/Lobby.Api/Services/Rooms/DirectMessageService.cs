using Lobby.Api.Data.Rooms;
using Lobby.Api.Services.Limits;
using Lobby.Api.Store;

namespace Lobby.Api.Services.Rooms;

/// <summary>Direct messages: one private room per pair of users, the same machinery as rooms.</summary>
internal sealed class DirectMessageService(Database database, IRoomEventPublisher events, UserActionLimiter limiter)
{
    /// <summary>The pair's DM, created on first use; Created is false when it already existed (either side started it).</summary>
    public async Task<(RoomView Room, bool Created)> OpenAsync(Actor actor, Guid? userId, CancellationToken ct)
    {
        var other = userId ?? throw ValidationFailedException.For("userId", "userId is required.");
        if (other == actor.UserId)
        {
            throw ValidationFailedException.For("userId", "A direct message is with someone else.");
        }

        await limiter.AcquireAsync(actor.UserId, UserAction.ChangeMembership, ct);
        var (room, created) = await database.WithConnectionAsync(async db =>
        {
            if (await DirectMessageQueries.FindPairAsync(db, actor.UserId, other, ct) is { } existing)
            {
                return (await RoomQueries.FindForUserAsync(db, null, existing, actor.UserId, ct), false);
            }

            if (!await MemberQueries.UserExistsAsync(db, null, other, ct))
            {
                throw ValidationFailedException.For("userId", "No active user with this id.");
            }

            // A create racing another for the same pair inserts nothing and finds the winner.
            var createdId = await DirectMessageQueries.CreateAsync(db, actor.UserId, other, ct);
            var id = createdId ?? await DirectMessageQueries.FindPairAsync(db, actor.UserId, other, ct);
            return (await RoomQueries.FindForUserAsync(db, null, id!.Value, actor.UserId, ct), createdId is not null);
        }, ct);

        var view = RoomService.ToView(room!);
        if (created)
        {
            // The other person's open clients may show the new conversation at once.
            events.Publish(new RoomEvent(RoomEvent.DmCreated, view.Id, null, new RoomRef(view.Id)) { ForUser = other });
        }

        return (view, created);
    }

    public async Task<Page<RoomView>> ListAsync(Actor actor, string? cursor, string? limit, CancellationToken ct)
    {
        var page = Paging.Parse(cursor, limit);
        var rows = await database.WithConnectionAsync(db => RoomQueries.ListDirectAsync(db, actor.UserId, page.After, page.Limit + 1, ct), ct);
        return Paging.Build([.. rows.Select(RoomService.ToView)], page.Limit, r => r.Id);
    }
}
