using System.Security.Claims;
using Lobby.Api.Http.OpenApi;
using Lobby.Api.Security;
using Lobby.Api.Services;
using Lobby.Api.Services.Auth;
using Lobby.Api.Services.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lobby.Api.Http.Users;

internal static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.User);
        users.MapGet("", FindUsers).WithName("findUsers")
            .WithSummary("Find people: by exact email, or by display-name prefix among people I share a room with (never returns emails)")
            .ProducesErrors(400, 429);
        users.MapGet("/me", GetMe).WithName("getMe").WithSummary("My profile").ProducesErrors(404);
        users.MapPatch("/me", UpdateMe).WithName("updateMe").WithSummary("Change my display name").ProducesErrors(404, 429);
        users.MapPost("/me/password", ChangePassword).WithName("changePassword").WithSummary("Change my password (ends my other sessions)").ProducesErrors(404, 429);
        users.MapGet("/{id}", GetUser).WithName("getUser").WithSummary("A user's public profile").ProducesErrors(400, 404);
        return app;
    }

    internal static async Task<Ok<Page<UserSummary>>> FindUsers(string? email, string? prefix, ClaimsPrincipal user, DirectoryService directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.FindAsync(user.UserId(), email, prefix, ct));

    internal static async Task<Ok<UserProfile>> GetMe(ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.GetMeAsync(user.UserId(), ct));

    internal static async Task<Ok<UserProfile>> UpdateMe(UpdateMeRequest body, ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.UpdateDisplayNameAsync(user.UserId(), body.DisplayName, ct));

    internal static async Task<NoContent> ChangePassword(ChangePasswordRequest body, ClaimsPrincipal user, HttpContext http, UserService users, CancellationToken ct)
    {
        await users.ChangePasswordAsync(user.UserId(), user.SessionId(), body.CurrentPassword, body.NewPassword, http.Connection.RemoteIpAddress?.ToString(), ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<PublicProfile>> GetUser(Guid id, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.GetPublicAsync(id, ct));
}
