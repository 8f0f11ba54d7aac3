namespace Lobby.Api.Config;

/// <summary>
/// Per-user limits on the writes a signed-in user can repeat, each a number of requests per
/// minute (see .env.example). Beyond it: 429 with Retry-After.
/// </summary>
internal sealed class LimitSettings
{
    /// <summary>ROOM_CREATE_RATE_LIMIT_PER_MINUTE: rooms one user may create.</summary>
    public int RoomCreatesPerMinute { get; set; } = 5;

    /// <summary>MEMBERSHIP_RATE_LIMIT_PER_MINUTE: joins, leaves, members added or removed.</summary>
    public int MembershipChangesPerMinute { get; set; } = 30;

    /// <summary>EDIT_RATE_LIMIT_PER_MINUTE: room changes and deletions, message edits and deletions.</summary>
    public int EditsPerMinute { get; set; } = 60;

    /// <summary>PROFILE_RATE_LIMIT_PER_MINUTE: display-name changes.</summary>
    public int ProfileChangesPerMinute { get; set; } = 10;

    /// <summary>SESSION_RATE_LIMIT_PER_MINUTE: listing and ending one's sessions.</summary>
    public int SessionRequestsPerMinute { get; set; } = 30;

    /// <summary>DIRECTORY_RATE_LIMIT_PER_MINUTE: user directory look-ups (by email or name prefix); low, so the directory cannot be scraped.</summary>
    public int DirectoryLookupsPerMinute { get; set; } = 30;
}
