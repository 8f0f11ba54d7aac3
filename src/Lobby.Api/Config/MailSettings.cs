namespace Lobby.Api.Config;

/// <summary>How mail leaves Lobby: an SMTP server, .eml files (Development without SMTP_URL), or not at all.</summary>
internal enum MailMode
{
    Off,
    Files,
    Smtp,
}

/// <summary>Mail delivery and the account flows that need it (see .env.example and docs/OPERATIONS.md "Mail").</summary>
internal sealed class MailSettings
{
    public MailMode Mode { get; set; } = MailMode.Off;

    /// <summary>SMTP_URL, parsed; null unless Mode is Smtp.</summary>
    public SmtpUrl? Smtp { get; set; }

    /// <summary>MAIL_FROM: the sender, e.g. "Lobby &lt;no-reply@example.com&gt;".</summary>
    public string From { get; set; } = "Lobby <no-reply@localhost>";

    /// <summary>PUBLIC_BASE_URL: where people open Lobby; links in mail start with it (no trailing slash).</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:8080";

    /// <summary>MAIL_DIR: where Development writes .eml files when SMTP_URL is not set.</summary>
    public string Directory { get; set; } = Path.Combine(".data", "mail");

    /// <summary>REQUIRE_EMAIL_VERIFICATION: sign-in waits for a verified address; registration stops telling new and taken addresses apart.</summary>
    public bool RequireEmailVerification { get; set; }

    /// <summary>MAIL_MAX_ATTEMPTS: sends of one mail before it is given up (logged, kept in the outbox as failed).</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>MAIL_RETRY_SECONDS: the first retry's delay; each next one doubles, up to an hour.</summary>
    public int RetrySeconds { get; set; } = 30;

    /// <summary>
    /// MAIL_LEASE_SECONDS: how long a replica holds the mails it is sending; a replica killed
    /// mid-send delays them this long. Longer than a batch can take (SMTP times out at 30 s).
    /// </summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>MAIL_POLL_SECONDS: how often a replica looks for mail others queued (its own wakes it at once).</summary>
    public int PollSeconds { get; set; } = 5;

    /// <summary>PASSWORD_RESET_MINUTES: the life of a reset link.</summary>
    public TimeSpan ResetTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>EMAIL_VERIFICATION_HOURS: the life of a verification or email-change link.</summary>
    public TimeSpan VerifyTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>MAIL_RATE_LIMIT_PER_ADDRESS_PER_HOUR: account mails (reset, verification) one address receives per hour; more are dropped silently.</summary>
    public int PerAddressPerHour { get; set; } = 5;

    public bool Enabled => Mode != MailMode.Off;
}
