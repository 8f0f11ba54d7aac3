namespace Lobby.Api.Data.Auth;

internal sealed record SessionRow(Guid Id, string? UserAgent, string? Ip, DateTime CreatedAt, DateTime LastUsedAt);

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
    bool EmailVerified);

/// <summary>What an access token's session looks like now: for the per-request revocation check.</summary>
internal sealed record SessionState(bool Active, Guid UserId, string Role, bool Disabled);
