using Lobby.Api.Config;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Services.Limits;

/// <summary>The writes a signed-in user can repeat, each with its own per-user budget a minute.</summary>
internal enum UserAction
{
    PostMessage,
    CreateRoom,
    ChangeMembership,
    Edit,
    ChangeProfile,
    ManageSessions,
    FindPeople,
}

/// <summary>
/// Per-user limits on repeatable writes (one account must not fill everyone's room list or flood a
/// room with member events). Counted per user id, through the shared counter when Redis is set.
/// </summary>
internal sealed class UserActionLimiter(IRateLimitCounter counter, IOptions<LobbyOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public async Task AcquireAsync(Guid userId, UserAction action, CancellationToken ct)
    {
        var (permits, name, message) = Describe(action);
        var hits = await counter.HitAsync($"user:{name}:{userId:N}", Window, ct);
        if (hits.Count > permits)
        {
            throw new RateLimitedException(message, hits.ResetsIn);
        }
    }

    private (int Permits, string Name, string Message) Describe(UserAction action)
    {
        var limits = options.Value.Limits;
        return action switch
        {
            UserAction.PostMessage => (options.Value.MessagesPerMinutePerUser, "post", "You are posting too fast; wait a moment."),
            UserAction.CreateRoom => (limits.RoomCreatesPerMinute, "create-room", "You are creating rooms too fast; wait a moment."),
            UserAction.ChangeMembership => (limits.MembershipChangesPerMinute, "membership", "You are changing memberships too fast; wait a moment."),
            UserAction.Edit => (limits.EditsPerMinute, "edit", "You are editing too fast; wait a moment."),
            UserAction.ChangeProfile => (limits.ProfileChangesPerMinute, "profile", "You are changing your profile too fast; wait a moment."),
            UserAction.ManageSessions => (limits.SessionRequestsPerMinute, "sessions", "Too many session requests; wait a moment."),
            UserAction.FindPeople => (limits.DirectoryLookupsPerMinute, "directory", "Too many people searches; wait a moment."),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
    }
}
