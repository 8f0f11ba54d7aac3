using Lobby.Api.Data;
using System.Globalization;
using Lobby.Api.Data.Rooms;
using Lobby.Api.Services.Limits;
using Lobby.Api.Services.Users;
using Lobby.Api.Store;
using Npgsql;

namespace Lobby.Api.Services.Rooms;

/// <summary>Posting, reading, editing and deleting messages; each room numbers its messages 1, 2, 3... with no gap.</summary>
internal sealed class MessageService(Database database, IRoomEventPublisher events, UserActionLimiter limiter)
{
    public async Task<PostResult> PostAsync(Actor actor, Guid roomId, string? body, string? idempotencyKey, CancellationToken ct)
    {
        var text = RoomRules.Body(body);
        var key = RoomRules.IdempotencyKey(idempotencyKey);

        await limiter.AcquireAsync(actor.UserId, UserAction.PostMessage, ct);
        PostedRow? posted;
        try
        {
            posted = await database.WithRetriedStatementAsync(db => MessageQueries.PostAsync(db, Ids.NewId(), roomId, actor.UserId, text, key, ct), ct);
        }
        catch (PostgresException ex) when (key is not null && PostgresErrors.IsUniqueViolation(ex, MessageQueries.IdempotencyKeyIndex))
        {
            // A retry (or a concurrent twin) with the same key: the failed insert took its seq bump
            // back with it. Answer with the original.
            var original = await database.WithConnectionAsync(db => MessageQueries.FindByKeyAsync(db, null, roomId, actor.UserId, key, ct), ct);
            return new PostResult(ToView(original!), Created: false);
        }

        if (posted is null)
        {
            // Nothing was written: say why, exactly as the other routes would.
            await database.WithConnectionAsync(async db =>
                RoomService.Visible(await RoomQueries.FindForUserAsync(db, null, roomId, actor.UserId, ct), actor), ct);
            throw new ForbiddenException("Only members may post; join the room first.");
        }

        var view = ToView(posted.Message);
        events.Publish(new RoomEvent(RoomEvent.MessageCreated, roomId, view.Seq, view) { AccessVersion = posted.AccessVersion });
        return new PostResult(view, Created: true);
    }

    public async Task<MessagePage> ListAsync(
        Actor actor, Guid roomId, string? before, string? after, string? cursor, string? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var take = ParseLimit(limit, errors);
        var beforeSeq = ParseSeq("before", before, errors);
        var afterSeq = ParseSeq("after", after, errors);
        if (beforeSeq is not null && afterSeq is not null)
        {
            errors["after"] = ["Use before or after, not both."];
        }

        if (!string.IsNullOrEmpty(cursor))
        {
            if (before is not null || after is not null)
            {
                errors["cursor"] = ["Use cursor alone: it already says where to continue."];
            }
            else if (MessageCursor.Decode(cursor) is { } decoded)
            {
                (beforeSeq, afterSeq) = decoded.Newer ? ((long?)null, (long?)decoded.Seq) : (decoded.Seq, null);
            }
            else
            {
                errors["cursor"] = ["cursor is not one this API returned; start again without it."];
            }
        }

        RoomRules.ThrowIfAny(errors);
        var rows = await database.WithConnectionAsync(async db =>
        {
            RoomService.Visible(await RoomQueries.FindForUserAsync(db, null, roomId, actor.UserId, ct), actor);
            return afterSeq is { } a ? await MessageQueries.AfterAsync(db, roomId, a, take + 1, ct)
                : beforeSeq is { } b ? await MessageQueries.BeforeAsync(db, roomId, b, take + 1, ct)
                : await MessageQueries.LatestAsync(db, roomId, take + 1, ct);
        }, ct);

        // One row more than asked tells that more exist; the cursor continues from the last one given.
        var items = rows.Take(take).Select(ToView).ToList();
        var next = rows.Count > take ? MessageCursor.Encode(afterSeq is not null, items[^1].Seq) : null;
        return new MessagePage(items, next);
    }

    public async Task<MessageView> EditAsync(Actor actor, Guid roomId, Guid messageId, string? body, CancellationToken ct)
    {
        var text = RoomRules.Body(body);
        await limiter.AcquireAsync(actor.UserId, UserAction.Edit, ct);
        var (edited, accessVersion) = await database.InTransactionAsync(async (db, tx) =>
        {
            var room = RoomService.Visible(await RoomQueries.FindForUserForShareAsync(db, tx, roomId, actor.UserId, ct), actor);
            var message = await MessageQueries.FindForUpdateAsync(db, tx, roomId, messageId, ct)
                ?? throw new NotFoundException("No message with this id in this room.");
            if (message.AuthorId != actor.UserId)
            {
                throw new ForbiddenException("Only the author may edit a message.");
            }

            return message.DeletedAt is not null
                ? throw new ConflictException("This message was deleted and cannot be edited.")
                : (await MessageQueries.EditAsync(db, tx, roomId, messageId, text, ct), room.AccessVersion);
        }, ct);

        var view = ToView(edited);
        events.Publish(new RoomEvent(RoomEvent.MessageUpdated, roomId, view.Seq, view) { AccessVersion = accessVersion });
        return view;
    }

    /// <summary>Deletes (tombstones) a message; deleting it again changes nothing.</summary>
    public async Task DeleteAsync(Actor actor, Guid roomId, Guid messageId, CancellationToken ct)
    {
        await limiter.AcquireAsync(actor.UserId, UserAction.Edit, ct);
        var (deleted, accessVersion) = await database.InTransactionAsync(async (db, tx) =>
        {
            var room = RoomService.Visible(await RoomQueries.FindForUserForShareAsync(db, tx, roomId, actor.UserId, ct), actor);
            var message = await MessageQueries.FindForUpdateAsync(db, tx, roomId, messageId, ct)
                ?? throw new NotFoundException("No message with this id in this room.");
            if (!RoomPermissions.CanDeleteMessage(room.Kind, message.AuthorId, room.MyRole, actor))
            {
                throw new ForbiddenException("Only the author, the room owner, a moderator or an admin may delete this message.");
            }

            return (await MessageQueries.TombstoneAsync(db, tx, roomId, messageId, ct), room.AccessVersion);
        }, ct);

        if (deleted is not null)
        {
            var view = ToView(deleted);
            events.Publish(new RoomEvent(RoomEvent.MessageDeleted, roomId, view.Seq, view) { AccessVersion = accessVersion });
        }
    }

    internal static MessageView ToView(MessageRow m) =>
        new(m.Id, m.RoomId, m.Seq, m.AuthorId, new UserSummary(m.AuthorId, m.AuthorName), m.Body, m.CreatedAt, m.EditedAt, m.DeletedAt);

    private static int ParseLimit(string? limit, Dictionary<string, string[]> errors)
    {
        if (limit is null)
        {
            return Paging.DefaultLimit;
        }

        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Paging.MaxLimit)
        {
            return value;
        }

        errors["limit"] = [$"limit must be a whole number from 1 to {Paging.MaxLimit}."];
        return 0;
    }

    private static long? ParseSeq(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return seq;
        }

        errors[name] = [$"{name} must be a message seq (a whole number, 0 or more)."];
        return null;
    }
}

