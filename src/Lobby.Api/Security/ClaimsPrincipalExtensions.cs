using System.Security.Claims;

namespace Lobby.Api.Security;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id. Only called behind RequireAuthorization, where the token was validated.</summary>
    public static Guid UserId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(LobbyClaims.Subject)!);

    public static Guid SessionId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(LobbyClaims.Session)!);

    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(LobbyClaims.Role) ?? Roles.User;
}
