namespace Lobby.Api.Http.Auth;

// Fields are nullable so a missing one reaches the service's rules and is reported by name.

internal sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

internal sealed record LoginRequest(string? Email, string? Password);

internal sealed record RefreshRequest(string? RefreshToken);
