using System.Globalization;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Config;

/// <summary>
/// Reads the flat environment variables into <see cref="LobbyOptions"/> and reports every
/// missing or malformed one by name. Validation runs at startup (ValidateOnStart), so a bad
/// setting stops the process before it serves anything.
/// </summary>
internal sealed class LobbyOptionsSetup(IConfiguration configuration, IHostEnvironment environment)
    : IConfigureOptions<LobbyOptions>, IValidateOptions<LobbyOptions>
{
    private readonly List<string> _problems = [];

    public void Configure(LobbyOptions options)
    {
        _problems.Clear();

        var url = configuration["DATABASE_URL"];
        if (string.IsNullOrWhiteSpace(url))
        {
            _problems.Add("DATABASE_URL is not set: give a postgres://user:password@host:5432/database URL or an Npgsql connection string");
        }
        else
        {
            try
            {
                options.DatabaseConnectionString = DatabaseUrl.ToConnectionString(url, configuration["DATABASE_PASSWORD_FILE"]);
            }
            catch (SettingsException ex)
            {
                _problems.Add(ex.Message);
            }
        }

        options.DatabaseMaxPoolSize = Int("DATABASE_MAX_POOL_SIZE", options.DatabaseMaxPoolSize, 1, 1000);
        options.DatabaseCommandTimeoutSeconds = Int("DATABASE_COMMAND_TIMEOUT", options.DatabaseCommandTimeoutSeconds, 1, 3600);
        options.MaxRequestBodyBytes = Int("MAX_REQUEST_BODY_BYTES", (int)options.MaxRequestBodyBytes, 1024, 64 * 1024 * 1024);
        options.MigrateOnStartup = Bool("MIGRATE_ON_STARTUP", environment.IsDevelopment());
        options.CorsOrigins = Origins("CORS_ORIGINS");
        options.ApiDocsEnabled = Bool("API_DOCS_ENABLED", environment.IsDevelopment());
        ConfigureAuth(options.Auth);
        ConfigureMail(options.Mail);
        foreach (var proxy in (configuration["TRUSTED_PROXIES"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!(proxy.Contains('/', StringComparison.Ordinal) ? System.Net.IPNetwork.TryParse(proxy, out _) : System.Net.IPAddress.TryParse(proxy, out _)))
            {
                _problems.Add($"TRUSTED_PROXIES entry '{proxy}' is neither an IP address nor a CIDR network like 172.16.0.0/12");
            }
        }

        var metrics = configuration["METRICS_ENABLED"];
        if (!string.IsNullOrWhiteSpace(metrics) && metrics.Trim().ToLowerInvariant() is not ("true" or "false"))
        {
            _problems.Add($"METRICS_ENABLED '{metrics}' is not a boolean (use true or false)");
        }

        options.WebRoot = WebRoot();
        options.ShutdownDrainSeconds = Int("SHUTDOWN_DRAIN_SECONDS", options.ShutdownDrainSeconds, 1, 600);
        options.RealtimeSweepSeconds = Int("REALTIME_SWEEP_SECONDS", options.RealtimeSweepSeconds, 1, 300);
        options.RealtimeMaxConnectionsPerUser = Int("REALTIME_MAX_CONNECTIONS_PER_USER", options.RealtimeMaxConnectionsPerUser, 1, 1000);
        options.RealtimeQueueLimit = Int("REALTIME_QUEUE_LIMIT", options.RealtimeQueueLimit, 16, 1_000_000);
        options.RealtimeSendTimeoutSeconds = Int("REALTIME_SEND_TIMEOUT_SECONDS", options.RealtimeSendTimeoutSeconds, 1, 300);
        options.RealtimePresenceIntervalMs = Int("REALTIME_PRESENCE_INTERVAL_MS", options.RealtimePresenceIntervalMs, 50, 60_000);
        options.ReadinessRequiresRedis = Bool("READINESS_REQUIRES_REDIS", false);
        options.RealtimePresenceTtlSeconds = Int("REALTIME_PRESENCE_TTL_SECONDS", options.RealtimePresenceTtlSeconds, 3, 3600);
        options.RealtimeMaxRoomsPerConnection = Int("REALTIME_MAX_ROOMS_PER_CONNECTION", options.RealtimeMaxRoomsPerConnection, 1, 10_000);
        var redis = configuration["REDIS_URL"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            try
            {
                _ = StackExchange.Redis.ConfigurationOptions.Parse(redis.Trim());
                options.RedisUrl = redis.Trim();
            }
            catch (ArgumentException)
            {
                _problems.Add("REDIS_URL is not a Redis configuration like redis:6379 or host:6379,password=...");
            }
        }
        options.MessagesPerMinutePerUser = Int("MESSAGE_RATE_LIMIT_PER_MINUTE", options.MessagesPerMinutePerUser, 1, 1_000_000);
        var limits = options.Limits;
        limits.RoomCreatesPerMinute = Int("ROOM_CREATE_RATE_LIMIT_PER_MINUTE", limits.RoomCreatesPerMinute, 1, 1_000_000);
        limits.MembershipChangesPerMinute = Int("MEMBERSHIP_RATE_LIMIT_PER_MINUTE", limits.MembershipChangesPerMinute, 1, 1_000_000);
        limits.EditsPerMinute = Int("EDIT_RATE_LIMIT_PER_MINUTE", limits.EditsPerMinute, 1, 1_000_000);
        limits.ProfileChangesPerMinute = Int("PROFILE_RATE_LIMIT_PER_MINUTE", limits.ProfileChangesPerMinute, 1, 1_000_000);
        limits.SessionRequestsPerMinute = Int("SESSION_RATE_LIMIT_PER_MINUTE", limits.SessionRequestsPerMinute, 1, 1_000_000);
        limits.DirectoryLookupsPerMinute = Int("DIRECTORY_RATE_LIMIT_PER_MINUTE", limits.DirectoryLookupsPerMinute, 1, 1_000_000);

        var level = configuration["LOG_LEVEL"];
        if (!string.IsNullOrWhiteSpace(level))
        {
            if (LoggingLevels.TryParse(level, out _))
            {
                options.LogLevel = level.Trim();
            }
            else
            {
                _problems.Add($"LOG_LEVEL '{level}' is not one of {LoggingLevels.Names}");
            }
        }

        if (LoggingFormats.TryResolve(configuration["LOG_FORMAT"], environment, out var format))
        {
            options.LogFormat = format;
        }
        else
        {
            _problems.Add($"LOG_FORMAT '{configuration["LOG_FORMAT"]}' is not json or text");
        }
    }

    private void ConfigureAuth(AuthSettings auth)
    {
        var keys = configuration["JWT_SIGNING_KEYS"];
        if (string.IsNullOrWhiteSpace(keys))
        {
            auth.GenerateDevelopmentKey = environment.IsDevelopment();
            if (!auth.GenerateDevelopmentKey)
            {
                _problems.Add("JWT_SIGNING_KEYS is not set: give the PEM file of an RSA private key (generate one with `Lobby.Api keys generate FILE`)");
            }
        }
        else
        {
            auth.SigningKeyFiles = keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var file in auth.SigningKeyFiles.Where(f => !File.Exists(f)))
            {
                _problems.Add($"JWT_SIGNING_KEYS names '{file}', which does not exist");
            }
        }

        auth.Issuer = Text("JWT_ISSUER", auth.Issuer);
        auth.Audience = Text("JWT_AUDIENCE", auth.Audience);
        auth.AccessTokenLifetime = TimeSpan.FromMinutes(Int("ACCESS_TOKEN_MINUTES", 15, 1, 60));
        auth.SessionAbsoluteLifetime = TimeSpan.FromDays(Int("SESSION_ABSOLUTE_DAYS", 30, 1, 365));
        auth.SessionIdleTimeout = TimeSpan.FromDays(Int("SESSION_IDLE_DAYS", 7, 1, 365));
        auth.RefreshReuseGrace = TimeSpan.FromSeconds(Int("REFRESH_REUSE_GRACE_SECONDS", 10, 0, 60));
        auth.SessionCheckCache = TimeSpan.FromSeconds(Int("SESSION_CHECK_CACHE_SECONDS", 10, 0, 60));
        auth.TokenCacheEntries = Int("ACCESS_TOKEN_CACHE_ENTRIES", 10_000, 0, 1_000_000);
        auth.RateLimitPerIpPerMinute = Int("AUTH_RATE_LIMIT_PER_IP", 30, 1, 1_000_000);
        auth.RateLimitPerEmailAndIpPerMinute = Int("AUTH_RATE_LIMIT_PER_EMAIL_AND_IP", 10, 1, 1_000_000);
        auth.RateLimitPerEmailPerMinute = Int("AUTH_RATE_LIMIT_PER_EMAIL", 30, 1, 1_000_000);
        auth.SlowdownMax = TimeSpan.FromSeconds(Int("AUTH_SLOWDOWN_MAX_SECONDS", 30, 0, 60));
        // OWASP's floor (m=19 MiB, t=2) is the minimum accepted; raising either rehashes at next login.
        auth.PasswordHashMemoryKib = Int("PASSWORD_HASH_MEMORY_KIB", 19 * 1024, 19 * 1024, 1024 * 1024);
        auth.PasswordHashIterations = Int("PASSWORD_HASH_ITERATIONS", 2, 2, 20);
    }

    private void ConfigureMail(MailSettings mail)
    {
        var development = environment.IsDevelopment();
        var smtp = configuration["SMTP_URL"];
        if (!string.IsNullOrWhiteSpace(smtp))
        {
            try
            {
                mail.Smtp = SmtpUrl.Parse(smtp, configuration["SMTP_PASSWORD_FILE"]);
                mail.Mode = MailMode.Smtp;
            }
            catch (SettingsException ex)
            {
                _problems.Add(ex.Message);
            }
        }
        else
        {
            mail.Mode = development ? MailMode.Files : MailMode.Off;
        }

        var from = configuration["MAIL_FROM"];
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (MimeKit.MailboxAddress.TryParse(from.Trim(), out var sender) && sender.Address.Contains('@', StringComparison.Ordinal))
            {
                mail.From = from.Trim();
            }
            else
            {
                _problems.Add($"MAIL_FROM '{from}' is not a mail address like Lobby <no-reply@example.com>");
            }
        }
        else if (mail.Mode == MailMode.Smtp)
        {
            _problems.Add("MAIL_FROM is not set: with SMTP_URL give the sender, e.g. Lobby <no-reply@example.com>");
        }

        var baseUrl = configuration["PUBLIC_BASE_URL"];
        if (!string.IsNullOrWhiteSpace(baseUrl))
        {
            var trimmed = baseUrl.Trim().TrimEnd('/');
            if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && uri.Query.Length == 0 && uri.Fragment.Length == 0)
            {
                mail.PublicBaseUrl = trimmed;
            }
            else
            {
                _problems.Add($"PUBLIC_BASE_URL '{baseUrl}' is not an address like https://chat.example.com (http or https, no query)");
            }
        }
        else if (mail.Mode == MailMode.Smtp && !development)
        {
            _problems.Add("PUBLIC_BASE_URL is not set: links in mail need the address people open Lobby at, e.g. https://chat.example.com");
        }

        mail.RequireEmailVerification = Bool("REQUIRE_EMAIL_VERIFICATION", false);
        if (mail.RequireEmailVerification && !mail.Enabled)
        {
            _problems.Add("REQUIRE_EMAIL_VERIFICATION=true needs SMTP_URL: nobody could verify an address without mail");
        }

        var dir = configuration["MAIL_DIR"];
        var root = Path.IsPathFullyQualified(environment.ContentRootPath ?? "") ? environment.ContentRootPath! : Directory.GetCurrentDirectory();
        mail.Directory = Path.GetFullPath(string.IsNullOrWhiteSpace(dir) ? mail.Directory : dir.Trim(), root);
        mail.MaxAttempts = Int("MAIL_MAX_ATTEMPTS", mail.MaxAttempts, 1, 1000);
        mail.RetrySeconds = Int("MAIL_RETRY_SECONDS", mail.RetrySeconds, 1, 3600);
        mail.PollSeconds = Int("MAIL_POLL_SECONDS", mail.PollSeconds, 1, 3600);
        mail.LeaseSeconds = Int("MAIL_LEASE_SECONDS", mail.LeaseSeconds, 1, 3600);
        mail.ResetTokenLifetime = TimeSpan.FromMinutes(Int("PASSWORD_RESET_MINUTES", 30, 5, 24 * 60));
        mail.VerifyTokenLifetime = TimeSpan.FromHours(Int("EMAIL_VERIFICATION_HOURS", 24, 1, 24 * 30));
        mail.PerAddressPerHour = Int("MAIL_RATE_LIMIT_PER_ADDRESS_PER_HOUR", mail.PerAddressPerHour, 1, 1_000_000);
    }

    private string? WebRoot()
    {
        var raw = configuration["WEB_ROOT"];
        if (string.IsNullOrWhiteSpace(raw))
        {
            // scripts/run.sh builds web/dist and runs from the repository root: serve it with no setting.
            var local = Path.Combine(environment.ContentRootPath, "web", "dist");
            return Directory.Exists(local) ? local : null;
        }

        var root = Path.GetFullPath(raw.Trim(), environment.ContentRootPath);
        if (!Directory.Exists(root))
        {
            _problems.Add($"WEB_ROOT '{raw}' is not a folder (give the built web client, e.g. web/dist)");
        }

        return root;
    }

    private string Text(string key, string fallback)
    {
        var raw = configuration[key];
        return string.IsNullOrWhiteSpace(raw) ? fallback : raw.Trim();
    }

    public ValidateOptionsResult Validate(string? name, LobbyOptions options) =>
        _problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_problems);

    private int Int(string key, int fallback, int min, int max)
    {
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        _problems.Add($"{key} '{raw}' is not a whole number between {min} and {max}");
        return fallback;
    }

    private bool Bool(string key, bool fallback)
    {
        var raw = configuration[key]?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }

        switch (raw.ToLowerInvariant())
        {
            case "1" or "true" or "yes" or "on":
                return true;
            case "0" or "false" or "no" or "off":
                return false;
            default:
                _problems.Add($"{key} '{raw}' is not a boolean (use true or false)");
                return fallback;
        }
    }

    private string[] Origins(string key)
    {
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return [];
        }

        var origins = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var origin in origins)
        {
            // A wildcard or a path would silently widen or break CORS: only scheme://host[:port].
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.PathAndQuery != "/" || origin.EndsWith('/'))
            {
                _problems.Add($"{key} entry '{origin}' is not an origin like https://app.example.com (no wildcard, path or trailing slash)");
            }
        }

        return origins;
    }
}
