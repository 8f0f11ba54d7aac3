using System.Security.Claims;
using Lobby.Api.Security;
using Lobby.Api.Services.Auth;
using Lobby.Api.Services.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lobby.Api.Http.Users;

internal static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.User);
        users.MapGet("/me", GetMe);
        users.MapPatch("/me", UpdateMe);
        users.MapPost("/me/password", ChangePassword);
        users.MapGet("/{id}", GetUser);
        return app;
    }

    internal static async Task<Ok<UserProfile>> GetMe(ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.GetMeAsync(user.UserId(), ct));

    internal static async Task<Ok<UserProfile>> UpdateMe(UpdateMeRequest body, ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.UpdateDisplayNameAsync(user.UserId(), body.DisplayName, ct));

    internal static async Task<NoContent> ChangePassword(ChangePasswordRequest body, ClaimsPrincipal user, UserService users, CancellationToken ct)
    {
        await users.ChangePasswordAsync(user.UserId(), user.SessionId(), body.CurrentPassword, body.NewPassword, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<PublicProfile>> GetUser(Guid id, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.GetPublicAsync(id, ct));
}
