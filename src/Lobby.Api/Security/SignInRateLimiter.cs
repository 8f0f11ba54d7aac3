using Lobby.Api.Config;
using Lobby.Api.Services;
using Lobby.Api.Services.Limits;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Security;

/// <summary>
/// Makes password guessing expensive without letting a stranger lock an account (OWASP
/// Authentication Cheat Sheet: throttle, do not lock out). Two counters per attempt, keyed on the
/// normalised email:
/// - per (email, client address), AUTH_RATE_LIMIT_PER_EMAIL_AND_IP a minute, beyond which 429:
///   one address hammering one account is stopped, and the owner at another address is not;
/// - per email from all addresses, AUTH_RATE_LIMIT_PER_EMAIL a minute, beyond which every attempt
///   waits 1, 2, 4 ... up to AUTH_SLOWDOWN_MAX_SECONDS before its password is checked: attackers
///   spread over many addresses are slowed, and the owner still gets in, only later.
/// The wait comes before the check for right and wrong passwords alike, so it reveals nothing.
/// And per client address across all accounts, AUTH_RATE_LIMIT_PER_IP a minute on register, login
/// and refresh (<see cref="AcquireForRouteAsync"/>). All three counters are shared by the replicas
/// when REDIS_URL is set.
/// </summary>
internal sealed class SignInRateLimiter(IRateLimitCounter counter, IOptions<LobbyOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private AuthSettings Settings => options.Value.Auth;

    /// <summary>Sign-in and registration: both counters.</summary>
    public async Task AcquireAsync(string email, string? clientIp, CancellationToken ct)
    {
        await AcquireForAddressAsync(email, clientIp, ct);
        var all = await counter.HitAsync("signin-email:" + email, Window, ct);
        var excess = all.Count - Settings.RateLimitPerEmailPerMinute;
        if (excess > 0 && Settings.SlowdownMax > TimeSpan.Zero)
        {
            var wait = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(excess - 1, 16)));
            await Task.Delay(wait < Settings.SlowdownMax ? wait : Settings.SlowdownMax, clock, ct);
        }
    }

    /// <summary>Register, login and refresh from one client address, whatever the account.</summary>
    public async Task AcquireForRouteAsync(string? clientIp, CancellationToken ct)
    {
        var hits = await counter.HitAsync("signin-ip:" + (clientIp ?? "unknown"), Window, ct);
        if (hits.Count > Settings.RateLimitPerIpPerMinute)
        {
            throw new RateLimitedException("Too many attempts from this address; wait before trying again.", hits.ResetsIn);
        }
    }

    /// <summary>Only the (email, address) counter: password changes, where the caller is already signed in.</summary>
    public async Task AcquireForAddressAsync(string email, string? clientIp, CancellationToken ct)
    {
        var pair = await counter.HitAsync($"signin-pair:{email}|{clientIp ?? "unknown"}", Window, ct);
        if (pair.Count > Settings.RateLimitPerEmailAndIpPerMinute)
        {
            throw new RateLimitedException("Too many attempts for this account from your address; wait before trying again.", pair.ResetsIn);
        }
    }
}
