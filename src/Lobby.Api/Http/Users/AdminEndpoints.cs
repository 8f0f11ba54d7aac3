using System.Security.Claims;
using Lobby.Api.Http.OpenApi;
using Lobby.Api.Security;
using Lobby.Api.Services;
using Lobby.Api.Services.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lobby.Api.Http.Users;

internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        admin.MapGet("/users", SearchUsers).WithName("searchUsers").WithSummary("Search users by email or display name prefix").ProducesErrors(400);
        admin.MapPatch("/users/{id}", UpdateUser).WithName("adminUpdateUser").WithSummary("Change a user's role or disabled flag (audited)").ProducesErrors(404, 409);
        admin.MapGet("/audit", Audit).WithName("listAuditEntries").WithSummary("The audit trail of admin changes").ProducesErrors(400);
        return app;
    }

    // Query values bind as text so a bad limit or cursor gets the same worded 400 as any rule.
    internal static async Task<Ok<Page<AdminUserView>>> SearchUsers(string? query, string? cursor, string? limit, AdminUserService admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.SearchAsync(query, cursor, limit, ct));

    internal static async Task<Ok<AdminUserView>> UpdateUser(Guid id, AdminUpdateUserRequest body, ClaimsPrincipal user, HttpContext http, AdminUserService admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.UpdateAsync(user.UserId(), id, body.Role, body.Disabled, http.TraceIdentifier, ct));

    internal static async Task<Ok<Page<AuditEntry>>> Audit(string? cursor, string? limit, AdminUserService admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.AuditAsync(cursor, limit, ct));
}
