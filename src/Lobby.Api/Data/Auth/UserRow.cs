namespace Lobby.Api.Data.Auth;

internal sealed record UserRow(Guid Id, string Email, string DisplayName, string PasswordHash, string Role, bool Disabled, DateTime CreatedAt);
