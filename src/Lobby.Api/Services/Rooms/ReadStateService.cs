using Lobby.Api.Data.Rooms;
using Lobby.Api.Store;

namespace Lobby.Api.Services.Rooms;

/// <summary>What each member has read: a seq per room that only moves forward, synced to their other devices.</summary>
internal sealed class ReadStateService(Database database, IRoomEventPublisher events)
{
    public async Task<ReadState> MarkReadAsync(Actor actor, Guid roomId, long? seq, CancellationToken ct)
    {
        if (seq is not { } upTo || upTo < 0)
        {
            throw ValidationFailedException.For("seq", "seq is required: the seq of the last message seen (0 or more).");
        }

        var (state, moved) = await database.WithConnectionAsync(async db =>
        {
            if (await ReadStateQueries.MarkReadAsync(db, roomId, actor.UserId, upTo, ct) is { } movedTo)
            {
                return (movedTo, true);
            }

            if (await ReadStateQueries.CurrentAsync(db, roomId, actor.UserId, ct) is { } current)
            {
                return (current, false);
            }

            RoomService.Visible(await RoomQueries.FindForUserAsync(db, null, roomId, actor.UserId, ct), actor);
            throw new ForbiddenException("Only members have a read position; join the room first.");
        }, ct);

        var view = new ReadState(state.RoomId, state.LastReadSeq, state.UnreadCount);
        if (moved)
        {
            // The user's other devices clear their badges; nobody else learns what they read.
            events.Publish(new RoomEvent(RoomEvent.ReadUpdated, roomId, null, view) { ForUser = actor.UserId });
        }

        return view;
    }
}
