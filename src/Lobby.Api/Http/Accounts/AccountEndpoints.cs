using System.Security.Claims;
using Lobby.Api.Http.Auth;
using Lobby.Api.Http.OpenApi;
using Lobby.Api.Security;
using Lobby.Api.Services.Accounts;
using Lobby.Api.Services.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lobby.Api.Http.Accounts;

internal sealed record ForgotPasswordRequest(string? Email);

internal sealed record ResetPasswordRequest(string? Token, string? NewPassword);

internal sealed record TokenRequest(string? Token);

internal sealed record ChangeEmailRequest(string? NewEmail, string? CurrentPassword);

internal sealed record DeleteAccountRequest(string? CurrentPassword);

internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        // Anonymous: limited per client address like sign-in (AUTH_RATE_LIMIT_PER_IP).
        var links = app.MapGroup("/api/v1/auth").WithTags("Accounts").AddEndpointFilter<SignInAddressFilter>();
        links.MapPost("/password/forgot", ForgotPassword).WithName("forgotPassword")
            .WithSummary("Mail a password-reset link (the same answer whether or not the address has an account)").ProducesErrors(429, 503);
        links.MapPost("/password/reset", ResetPassword).WithName("resetPassword")
            .WithSummary("Set a new password with a reset link's token; every session ends").ProducesErrors(429);
        links.MapPost("/email/verify", VerifyEmail).WithName("verifyEmail")
            .WithSummary("Confirm my address with a verification link's token").ProducesErrors(429);
        links.MapPost("/email/confirm-change", ConfirmEmailChange).WithName("confirmEmailChange")
            .WithSummary("Switch to the new address with the token mailed to it").ProducesErrors(409, 429);

        app.MapGet("/api/v1/auth/settings", Settings).WithTags("Accounts").WithName("getAuthSettings")
            .WithSummary("What this server offers for accounts: whether it sends mail (reset, verification) and requires a confirmed address");

        var me = app.MapGroup("/api/v1/users/me").WithTags("Accounts").RequireAuthorization(Policies.User);
        me.MapPost("/email/verification", ResendVerification).WithName("resendVerification")
            .WithSummary("Mail me a new verification link").ProducesErrors(404, 503);
        me.MapPost("/email", ChangeEmail).WithName("changeEmail")
            .WithSummary("Ask to change my address (current password required): a link goes to the new one, a notice to the old").ProducesErrors(404, 409, 429, 503);
        me.MapPost("/delete", DeleteAccount).WithName("deleteAccount")
            .WithSummary("Delete my account (current password required): sessions end, my messages become tombstones").ProducesErrors(404, 409, 429);
        return app;
    }

    internal static Ok<AccountSettings> Settings(AccountService accounts, HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(accounts.Settings);
    }

    internal static async Task<Accepted<MailAccepted>> ForgotPassword(ForgotPasswordRequest body, AccountService accounts, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, await accounts.ForgotPasswordAsync(body.Email, ct));

    internal static async Task<NoContent> ResetPassword(ResetPasswordRequest body, AccountService accounts, CancellationToken ct)
    {
        await accounts.ResetPasswordAsync(body.Token, body.NewPassword, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<NoContent> VerifyEmail(TokenRequest body, AccountService accounts, CancellationToken ct)
    {
        await accounts.VerifyEmailAsync(body.Token, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<NoContent> ConfirmEmailChange(TokenRequest body, AccountService accounts, CancellationToken ct)
    {
        await accounts.ConfirmEmailChangeAsync(body.Token, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Accepted<MailAccepted>> ResendVerification(ClaimsPrincipal user, AccountService accounts, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, await accounts.ResendVerificationAsync(user.UserId(), ct));

    internal static async Task<Accepted<MailAccepted>> ChangeEmail(ChangeEmailRequest body, ClaimsPrincipal user, HttpContext http, AccountService accounts, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, await accounts.RequestEmailChangeAsync(
            user.UserId(), body.NewEmail, body.CurrentPassword, http.Connection.RemoteIpAddress?.ToString(), ct));

    internal static async Task<NoContent> DeleteAccount(DeleteAccountRequest body, ClaimsPrincipal user, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        await accounts.DeleteAccountAsync(user.UserId(), body.CurrentPassword, http.Connection.RemoteIpAddress?.ToString(), ct);
        return TypedResults.NoContent();
    }
}
