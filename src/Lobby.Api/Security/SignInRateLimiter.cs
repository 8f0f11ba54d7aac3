using System.Threading.RateLimiting;
using Lobby.Api.Config;
using Lobby.Api.Services;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Security;

/// <summary>
/// Per-email limit on sign-in and registration attempts (AUTH_RATE_LIMIT_PER_EMAIL a minute),
/// so guessing one account's password from many addresses is slow too. The per-IP limit is
/// the ASP.NET Core rate limiter policy on the routes (<see cref="AuthenticationSetup"/>).
/// </summary>
internal sealed class SignInRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SignInRateLimiter(IOptions<LobbyOptions> options)
    {
        var permits = options.Value.Auth.RateLimitPerEmailPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(email => RateLimitPartition.GetFixedWindowLimiter(
            email.ToUpperInvariant(),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public void AcquireForEmail(string email)
    {
        using var lease = _limiter.AttemptAcquire(email);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            throw new RateLimitedException("Too many attempts for this account; wait before trying again.", retryAfter);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
