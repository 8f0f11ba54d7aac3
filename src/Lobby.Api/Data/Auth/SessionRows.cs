using Npgsql;

namespace Lobby.Api.Data.Auth;

internal sealed record SessionRow(Guid Id, string? UserAgent, string? Ip, DateTime CreatedAt, DateTime LastUsedAt)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from sessions (unaliased).</summary>
    public const string Columns = "id, user_agent, ip, created_at, last_used_at";

    public static SessionRow Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.StringOrNull(1), r.StringOrNull(2), r.GetDateTime(3), r.GetDateTime(4));
}

/// <summary>A presented refresh token with its session and user, as of the moment it was locked.</summary>
internal sealed record RefreshTokenLookup(
    Guid SessionId,
    bool Rotated,
    bool WithinGrace,
    bool SessionActive,
    Guid UserId,
    string Email,
    string DisplayName,
    string Role,
    bool Disabled,
    DateTime CreatedAt,
    bool EmailVerified)
{
    /// <summary>
    /// The select list <see cref="Read"/> maps by position, from refresh_tokens rt, sessions s and
    /// users u; it takes the @grace and @idle intervals.
    /// </summary>
    public const string Columns = """
        rt.session_id,
        rt.rotated_at IS NOT NULL,
        coalesce(rt.rotated_at > now() - @grace::interval, false),
        (s.revoked_at IS NULL AND s.expires_at > now() AND s.last_used_at > now() - @idle::interval),
        u.id, u.email, u.display_name, u.role, u.disabled, u.created_at, u.email_verified_at IS NOT NULL
        """;

    public static RefreshTokenLookup Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetBoolean(1), r.GetBoolean(2), r.GetBoolean(3), r.GetGuid(4), r.GetString(5), r.GetString(6),
            r.GetString(7), r.GetBoolean(8), r.GetDateTime(9), r.GetBoolean(10));
}

/// <summary>What an access token's session looks like now: for the per-request revocation check.</summary>
internal sealed record SessionState(bool Active, Guid UserId, string Role, bool Disabled)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from sessions s and users u.</summary>
    public const string Columns = "(s.revoked_at IS NULL AND s.expires_at > now()), s.user_id, u.role, u.disabled";

    public static SessionState Read(NpgsqlDataReader r) => new(r.GetBoolean(0), r.GetGuid(1), r.GetString(2), r.GetBoolean(3));
}
