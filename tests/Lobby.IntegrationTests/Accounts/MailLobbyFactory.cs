using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Accounts;

/// <summary>Lobby with mail through a real SMTP server in the test process, logging at Debug so the "no token in logs" checks see everything.</summary>
public class MailLobbyFactory : LobbyFactory
{
    public const string BaseUrl = "https://chat.example.test";

    public SmtpSink Smtp { get; } = SmtpSink.Running();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["SMTP_URL"] = Smtp.Url,
        ["MAIL_FROM"] = "Lobby <no-reply@example.test>",
        ["PUBLIC_BASE_URL"] = BaseUrl,
        ["MAIL_POLL_SECONDS"] = "1",
        ["MAIL_RETRY_SECONDS"] = "1",
        ["LOG_LEVEL"] = "Debug",
        ["REQUIRE_EMAIL_VERIFICATION"] = RequireVerification ? "true" : "false",
    };

    protected virtual bool RequireVerification => false;

    /// <summary>Every log event rendered with its properties: what a log shipper would receive.</summary>
    public string AllLogs() => string.Join("\n", Logs.Events.Select(e =>
        e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(" ", e.Properties.Select(p => p.Value.ToString())) + " " + e.Exception));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class VerifyingLobbyFactory : MailLobbyFactory
{
    protected override bool RequireVerification => true;
}
