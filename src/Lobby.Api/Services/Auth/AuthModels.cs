namespace Lobby.Api.Services.Auth;

/// <summary>The signed-in user as the auth endpoints return it.</summary>
internal sealed record UserProfile(Guid Id, string Email, string DisplayName, string Role, DateTime CreatedAt, bool EmailVerified);

/// <summary>Answer of register, login and refresh. expiresIn is the access token's lifetime in seconds.</summary>
internal sealed record AuthResponse(string AccessToken, string RefreshToken, int ExpiresIn, UserProfile User);

internal sealed record SessionInfo(Guid Id, string? UserAgent, string? Ip, DateTime CreatedAt, DateTime LastUsedAt, bool Current);

/// <summary>Where a sign-in comes from, recorded on the session so the user can recognise it.</summary>
internal sealed record ClientInfo(string? UserAgent, string? Ip);

/// <summary>Answer of a registration that waits for the address to be confirmed: the same for every address.</summary>
internal sealed record PendingRegistration(string Status, string Detail);

/// <summary>Answer of the calls that mail something: the same whether or not anything was sent.</summary>
internal sealed record MailAccepted(string Status, string Detail);

internal sealed record EndedSessions(int Ended);

/// <summary>A registration: signed in, or waiting for the address to be confirmed.</summary>
internal sealed record RegisterOutcome(AuthResponse? SignedIn, PendingRegistration? Pending);

/// <summary>Public account settings, so clients offer only what works: mail-based flows and whether sign-in waits for a confirmed address.</summary>
internal sealed record AccountSettings(bool MailEnabled, bool EmailVerificationRequired);
