using System.Globalization;
using System.Text.RegularExpressions;
using Lobby.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using MimeKit;

namespace Lobby.IntegrationTests.Accounts;

/// <summary>Development without SMTP_URL: mail is written to MAIL_DIR as .eml files.</summary>
public sealed class DevelopmentMailLobbyFactory : LobbyFactory
{
    public string MailDir { get; } = Path.Combine(Path.GetTempPath(), "lobby-mail-" + Guid.NewGuid().ToString("N"));

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["MAIL_DIR"] = MailDir,
        ["MAIL_POLL_SECONDS"] = "1",
        ["LOG_LEVEL"] = "Information",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(MailDir))
        {
            Directory.Delete(MailDir, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// What `scripts/run.sh` gives a developer with no mail server: every mail as an .eml file and one
/// log line carrying its link (Development only; elsewhere links never reach the logs).
/// </summary>
public sealed partial class DevelopmentMailTests(DevelopmentMailLobbyFactory factory) : IClassFixture<DevelopmentMailLobbyFactory>
{
    [Fact]
    public async Task Each_mail_is_an_eml_file_and_one_log_line_with_its_link()
    {
        var client = factory.CreateClient();
        var auth = await AuthApi.RegisterAsync(client);

        var file = await WaitForFileAsync(auth.User.Email);
        var mail = await MimeMessage.LoadAsync(file);
        Assert.Contains("Confirm your email", mail.Subject, StringComparison.Ordinal);
        var (link, _) = SmtpSink.LinkIn(mail);
        Assert.StartsWith("http://localhost:8080/#/verify-email?token=", link, StringComparison.Ordinal);

        var lines = factory.Logs.Events
            .Select(e => e.RenderMessage(CultureInfo.InvariantCulture))
            .Where(l => l.Contains(link, StringComparison.Ordinal))
            .ToList();
        var line = Assert.Single(lines);
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(factory.Logs.Events, e => e.RenderMessage(CultureInfo.InvariantCulture).Contains("as .eml files", StringComparison.Ordinal));
    }

    /// <summary>The file named by the log line about a mail to the recipient, which is written once the file is closed.</summary>
    private async Task<string> WaitForFileAsync(string recipient)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var written = factory.Logs.Events
                .Select(e => e.RenderMessage(CultureInfo.InvariantCulture))
                .Select(l => Written().Match(l))
                .FirstOrDefault(m => m.Success && m.Groups["to"].Value.Contains(recipient, StringComparison.OrdinalIgnoreCase));
            if (written is not null)
            {
                return written.Groups["path"].Value;
            }

            // The outbox is polled each second: look again until its line is there.
            await Task.Delay(100, timeout.Token);
        }
    }

    [GeneratedRegex("""Mail to "?(?<to>[^" ]+)"? .* written to "?(?<path>[^" ]+\.eml)""")]
    private static partial Regex Written();
}
