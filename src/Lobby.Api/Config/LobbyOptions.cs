namespace Lobby.Api.Config;

/// <summary>
/// Every setting Lobby reads, with its environment variable name. Bound from flat
/// variables (see <see cref="LobbyOptionsSetup"/>) because operators configure
/// containers with plain env files, not nested JSON sections.
/// </summary>
internal sealed class LobbyOptions
{
    /// <summary>DATABASE_URL: a postgres:// URL or an Npgsql connection string, normalised to the latter.</summary>
    public string DatabaseConnectionString { get; set; } = "";

    /// <summary>DATABASE_MAX_POOL_SIZE: sized to what PostgreSQL can run at once, not to request concurrency.</summary>
    public int DatabaseMaxPoolSize { get; set; } = 20;

    /// <summary>DATABASE_COMMAND_TIMEOUT: seconds a single statement may run.</summary>
    public int DatabaseCommandTimeoutSeconds { get; set; } = 15;

    /// <summary>CORS_ORIGINS: comma-separated origins allowed to call the API from a browser.</summary>
    public IReadOnlyList<string> CorsOrigins { get; set; } = [];

    /// <summary>MIGRATE_ON_STARTUP: apply pending migrations before serving. Default on in Development only.</summary>
    public bool MigrateOnStartup { get; set; }

    /// <summary>LOG_LEVEL: Verbose, Debug, Information, Warning, Error or Fatal.</summary>
    public string LogLevel { get; set; } = "Information";

    /// <summary>LOG_FORMAT: json (compact JSON, one event a line) or text (for a terminal). Default text in Development, json elsewhere.</summary>
    public string LogFormat { get; set; } = LoggingFormats.Json;

    public AuthSettings Auth { get; set; } = new();

    public LimitSettings Limits { get; set; } = new();

    public MailSettings Mail { get; set; } = new();

    /// <summary>MESSAGE_RATE_LIMIT_PER_MINUTE: messages one user may post per minute, across rooms.</summary>
    public int MessagesPerMinutePerUser { get; set; } = 120;

    /// <summary>API_DOCS_ENABLED: serve the interactive API reference at /docs. Default on in Development only.</summary>
    public bool ApiDocsEnabled { get; set; }

    /// <summary>REDIS_URL: StackExchange.Redis configuration (host:port[,password=...]) that relays live events between replicas; empty = single instance.</summary>
    public string? RedisUrl { get; set; }

    /// <summary>READINESS_REQUIRES_REDIS: with REDIS_URL, answer /health/ready with 503 (not 200 "degraded") while Redis is unreachable.</summary>
    public bool ReadinessRequiresRedis { get; set; }

    /// <summary>REALTIME_SWEEP_SECONDS: how often live connections are re-checked against their session.</summary>
    public int RealtimeSweepSeconds { get; set; } = 5;

    /// <summary>REALTIME_MAX_CONNECTIONS_PER_USER: open real-time connections one user may hold on one replica.</summary>
    public int RealtimeMaxConnectionsPerUser { get; set; } = 10;

    /// <summary>REALTIME_QUEUE_LIMIT: events one connection may have waiting to be sent; past it the connection is closed (it resumes by seq).</summary>
    public int RealtimeQueueLimit { get; set; } = 1024;

    /// <summary>REALTIME_SEND_TIMEOUT_SECONDS: how long one send to a client may stall before the connection is closed as too slow.</summary>
    public int RealtimeSendTimeoutSeconds { get; set; } = 10;

    /// <summary>REALTIME_PRESENCE_INTERVAL_MS: presence changes of a room are sent at most once per this interval.</summary>
    public int RealtimePresenceIntervalMs { get; set; } = 500;

    /// <summary>REALTIME_PRESENCE_TTL_SECONDS: with REDIS_URL, how long a replica's presence (and connection count) outlives its last heartbeat: a killed replica's users drop out after this.</summary>
    public int RealtimePresenceTtlSeconds { get; set; } = 30;

    /// <summary>REALTIME_MAX_ROOMS_PER_CONNECTION: rooms one connection may follow at once.</summary>
    public int RealtimeMaxRoomsPerConnection { get; set; } = 100;

    /// <summary>SHUTDOWN_DRAIN_SECONDS: how long in-flight requests may finish after SIGTERM.</summary>
    public int ShutdownDrainSeconds { get; set; } = 20;

    /// <summary>WEB_ROOT: the built web client (web/dist) served at /; null serves none. Defaults to web/dist under the content root when it exists.</summary>
    public string? WebRoot { get; set; }

    /// <summary>MAX_REQUEST_BODY_BYTES: larger request bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
