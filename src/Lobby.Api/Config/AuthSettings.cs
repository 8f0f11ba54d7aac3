namespace Lobby.Api.Config;

/// <summary>Token, session and sign-in settings (see .env.example for the variables).</summary>
internal sealed class AuthSettings
{
    /// <summary>JWT_SIGNING_KEYS: PEM files, comma-separated; the first signs, all verify.</summary>
    public IReadOnlyList<string> SigningKeyFiles { get; set; } = [];

    /// <summary>In Development with no JWT_SIGNING_KEYS, a key generated once under .data/keys.</summary>
    public bool GenerateDevelopmentKey { get; set; }

    public string Issuer { get; set; } = "lobby";

    public string Audience { get; set; } = "lobby";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after rotation a refresh token still works, for two tabs refreshing at once.</summary>
    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a replica trusts its last look at a session: the revocation window for access tokens.</summary>
    public TimeSpan SessionCheckCache { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many validated access tokens a replica remembers (0 = verify the signature on every request).</summary>
    public int TokenCacheEntries { get; set; } = 10_000;

    public int RateLimitPerIpPerMinute { get; set; } = 30;

    /// <summary>AUTH_RATE_LIMIT_PER_EMAIL_AND_IP: attempts on one email from one client address; beyond it, 429.</summary>
    public int RateLimitPerEmailAndIpPerMinute { get; set; } = 10;

    /// <summary>AUTH_RATE_LIMIT_PER_EMAIL: attempts on one email from all addresses together; beyond it, each is slowed down, never refused.</summary>
    public int RateLimitPerEmailPerMinute { get; set; } = 30;

    /// <summary>AUTH_SLOWDOWN_MAX_SECONDS: the longest an attempt beyond the per-email ceiling waits (the wait doubles from 1 s).</summary>
    public TimeSpan SlowdownMax { get; set; } = TimeSpan.FromSeconds(30);

    public int PasswordHashMemoryKib { get; set; } = 19 * 1024;

    public int PasswordHashIterations { get; set; } = 2;
}
