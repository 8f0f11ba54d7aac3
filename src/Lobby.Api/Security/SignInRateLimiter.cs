using Lobby.Api.Config;
using Lobby.Api.Services;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Security;

/// <summary>
/// Per-email limit on sign-in and registration attempts (AUTH_RATE_LIMIT_PER_EMAIL a minute),
/// so guessing one account's password from many addresses is slow too. The per-IP limit is
/// the ASP.NET Core rate limiter policy on the routes (<see cref="AuthenticationSetup"/>).
/// </summary>
internal sealed class SignInRateLimiter(IOptions<LobbyOptions> options) : IDisposable
{
    private readonly PerMinuteLimiter<string> _limiter =
        new(options.Value.Auth.RateLimitPerEmailPerMinute, email => email.ToUpperInvariant());

    public void AcquireForEmail(string email) =>
        _limiter.Acquire(email, "Too many attempts for this account; wait before trying again.");

    public void Dispose() => _limiter.Dispose();
}
