namespace Lobby.Api.Security;

/// <summary>Claim names as they appear in Lobby's tokens (inbound claim mapping is off).</summary>
internal static class LobbyClaims
{
    public const string Subject = "sub";
    public const string Session = "sid";
    public const string Role = "role";
}

/// <summary>Global roles. Rooms add their own member roles on top.</summary>
internal static class Roles
{
    public const string User = "USER";
    public const string Moderator = "MODERATOR";
    public const string Admin = "ADMIN";

    public static readonly IReadOnlyList<string> All = [User, Moderator, Admin];

    public static bool IsValid(string? role) => role is User or Moderator or Admin;
}
