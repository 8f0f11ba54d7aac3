using System.Diagnostics.Metrics;
using Lobby.Api.Config;
using Lobby.Api.Data.Accounts;
using Lobby.Api.Store;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Services.Mail;

/// <summary>
/// Drains the mail outbox on every replica: leases due rows (SKIP LOCKED, so replicas share the work
/// and never take the same row), sends them, marks each sent, or schedules a retry with a doubling
/// delay, and gives up after MAIL_MAX_ATTEMPTS. A crash after the commit that queued a mail and before
/// it left leaves the row due (or its lease running out): it is sent on the next pass, by any replica.
/// The one window left is SMTP accepting a mail and the process dying before it is marked sent: then
/// that mail goes out twice; nothing is ever lost.
/// </summary>
internal sealed class OutboxSender(
    Database database,
    MailOutbox outbox,
    IMailTransport transport,
    IOptions<LobbyOptions> options,
    IMeterFactory meters,
    ILogger<OutboxSender> logger) : BackgroundService
{
    public const string MeterName = "Lobby.Mail";
    private const int Batch = 20;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    private static readonly TimeSpan CleanupEvery = TimeSpan.FromHours(1);

    private readonly Counter<long> _sent = meters.Create(MeterName).CreateCounter<long>("lobby.mail.sent", description: "Mails handed to the mail server (or written to MAIL_DIR)");
    private readonly Counter<long> _failed = meters.Create(MeterName).CreateCounter<long>("lobby.mail.failures", description: "Failed sends, by outcome: retry or given_up");

    private MailSettings Settings => options.Value.Mail;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mail = Settings;
        switch (mail.Mode)
        {
            case MailMode.Off:
                logger.LogInformation("Mail is off (SMTP_URL is not set): password reset, email verification and email change are unavailable");
                return;
            case MailMode.Files:
                logger.LogInformation("Mail is written to {MailDir} as .eml files (Development without SMTP_URL)", mail.Directory);
                break;
            default:
                logger.LogInformation("Mail goes through SMTP {Smtp}, links to {PublicBaseUrl}", mail.Smtp!.ToString(), mail.PublicBaseUrl);
                break;
        }

        var poll = TimeSpan.FromSeconds(Settings.PollSeconds);
        var lastCleanup = DateTime.MinValue;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == Batch)
                {
                }

                if (DateTime.UtcNow - lastCleanup > CleanupEvery)
                {
                    await CleanUpAsync(stoppingToken);
                    lastCleanup = DateTime.UtcNow;
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DatabaseUnavailableException or Npgsql.NpgsqlException)
            {
                // The outbox is in the database: nothing to do but wait for it.
                failures++;
                logger.LogWarning("Mail outbox unreachable ({Error}); retrying", ex.Message);
            }

            try
            {
                await outbox.WaitAsync(failures == 0 ? poll : TimeSpan.FromSeconds(Math.Min(60, poll.TotalSeconds * failures)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One batch: how many rows it leased.</summary>
    private async Task<int> SendDueAsync(CancellationToken ct)
    {
        var due = await database.WithConnectionAsync(db => MailOutboxQueries.LeaseAsync(db, Batch, TimeSpan.FromSeconds(Settings.LeaseSeconds), ct), ct);
        if (due.Count == 0)
        {
            return 0;
        }

        IReadOnlyList<string?> results;
        try
        {
            results = await transport.SendAsync(due, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The server is down or refused us: every mail of the batch waits for its retry.
            results = [.. due.Select(_ => Describe(ex))];
        }

        for (var i = 0; i < due.Count; i++)
        {
            await RecordAsync(due[i], results[i], ct);
        }

        return due.Count;
    }

    private async Task RecordAsync(OutboxMail mail, string? error, CancellationToken ct)
    {
        // Recorded even while stopping: a mail that left must be marked, or it goes out again.
        var record = CancellationToken.None;
        if (error is null)
        {
            await database.WithConnectionAsync(async db => { await MailOutboxQueries.MarkSentAsync(db, mail.Id, record); return true; }, record);
            _sent.Add(1);
            return;
        }

        if (mail.Attempts >= Settings.MaxAttempts)
        {
            await database.WithConnectionAsync(async db => { await MailOutboxQueries.MarkFailedAsync(db, mail.Id, Clip(error), record); return true; }, record);
            _failed.Add(1, new KeyValuePair<string, object?>("outcome", "given_up"));
            logger.LogError("Mail {MailId} given up after {Attempts} attempts: {Error}", mail.Id, mail.Attempts, error);
            return;
        }

        var delay = TimeSpan.FromSeconds(Settings.RetrySeconds * Math.Pow(2, Math.Min(mail.Attempts - 1, 20)));
        delay = delay < MaxDelay ? delay : MaxDelay;
        await database.WithConnectionAsync(async db => { await MailOutboxQueries.MarkRetryAsync(db, mail.Id, delay, Clip(error), record); return true; }, record);
        _failed.Add(1, new KeyValuePair<string, object?>("outcome", "retry"));
        logger.LogWarning("Mail {MailId} not sent (attempt {Attempt}): {Error}; next try in {Delay}", mail.Id, mail.Attempts, error, delay);
        _ = ct;
    }

    private async Task CleanUpAsync(CancellationToken ct) => await database.WithConnectionAsync(async db =>
    {
        await MailOutboxQueries.DeleteOldAsync(db, ct);
        await AccountTokenQueries.DeleteExpiredAsync(db, ct);
        return true;
    }, ct);

    // Exception messages of MailKit name the server and the SMTP reply, never the password.
    internal static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";

    private static string Clip(string error) => error.Length <= 500 ? error : error[..500];
}
