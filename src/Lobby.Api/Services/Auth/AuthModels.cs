namespace Lobby.Api.Services.Auth;

/// <summary>The signed-in user as the auth endpoints return it.</summary>
internal sealed record UserProfile(Guid Id, string Email, string DisplayName, string Role, DateTime CreatedAt);

/// <summary>Answer of register, login and refresh. expiresIn is the access token's lifetime in seconds.</summary>
internal sealed record AuthResponse(string AccessToken, string RefreshToken, int ExpiresIn, UserProfile User);

internal sealed record SessionInfo(Guid Id, string? UserAgent, string? Ip, DateTime CreatedAt, DateTime LastUsedAt, bool Current);

/// <summary>Where a sign-in comes from, recorded on the session so the user can recognise it.</summary>
internal sealed record ClientInfo(string? UserAgent, string? Ip);
