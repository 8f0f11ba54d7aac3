namespace Lobby.Api.Data.Auth;

internal sealed record UserRow(Guid Id, string Email, string DisplayName, string PasswordHash, string Role, bool Disabled, DateTime CreatedAt, bool EmailVerified);

/// <summary>A user found by email, and whether the row still lacks its email key (created before keys existed).</summary>
internal sealed record KeyedUserRow(Guid Id, string Email, string DisplayName, string PasswordHash, string Role, bool Disabled, DateTime CreatedAt, bool EmailVerified, bool NeedsKey)
{
    public UserRow User => new(Id, Email, DisplayName, PasswordHash, Role, Disabled, CreatedAt, EmailVerified);
}
