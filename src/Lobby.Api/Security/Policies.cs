namespace Lobby.Api.Security;

/// <summary>Authorization policy names, applied to route groups.</summary>
internal static class Policies
{
    /// <summary>Any signed-in user with a live session.</summary>
    public const string User = "user";

    /// <summary>MODERATOR or ADMIN: moderates every room.</summary>
    public const string Moderator = "moderator";

    /// <summary>ADMIN: also manages users.</summary>
    public const string Admin = "admin";
}
