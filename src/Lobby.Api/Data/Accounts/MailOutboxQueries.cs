using Dapper;
using Npgsql;

namespace Lobby.Api.Data.Accounts;

internal sealed record OutboxMail(Guid Id, string Recipient, string Subject, string TextBody, string HtmlBody, int Attempts);

/// <summary>The durable mail queue: written in the causing transaction, leased and sent by OutboxSender.</summary>
internal static class MailOutboxQueries
{
    private const string Insert = """
        INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body)
        VALUES (@id, @recipient, @subject, @textBody, @htmlBody)
        """;

    // SKIP LOCKED and the lease let several replicas drain one outbox without sending a mail twice;
    // a replica killed mid-send leaves a lease that simply runs out.
    private const string Lease = """
        UPDATE mail_outbox SET leased_until = now() + @lease, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM mail_outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
              AND (leased_until IS NULL OR leased_until < now())
            ORDER BY next_attempt_at
            LIMIT @batch
            FOR UPDATE SKIP LOCKED)
        RETURNING id AS Id, recipient AS Recipient, subject AS Subject, text_body AS TextBody, html_body AS HtmlBody, attempts AS Attempts
        """;

    private const string MarkSent = """
        UPDATE mail_outbox SET sent_at = now(), leased_until = NULL, text_body = NULL, html_body = NULL, last_error = NULL
        WHERE id = @id
        """;

    private const string MarkRetry = """
        UPDATE mail_outbox SET leased_until = NULL, next_attempt_at = now() + @delay, last_error = @error
        WHERE id = @id
        """;

    private const string MarkFailed = """
        UPDATE mail_outbox SET leased_until = NULL, failed_at = now(), text_body = NULL, html_body = NULL, last_error = @error
        WHERE id = @id
        """;

    private const string DropForRecipient = "DELETE FROM mail_outbox WHERE lower(recipient) = lower(@recipient) AND sent_at IS NULL";

    private const string DeleteOld = "DELETE FROM mail_outbox WHERE coalesce(sent_at, failed_at) < now() - interval '30 days'";

    public static Task InsertAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, string recipient, string subject, string textBody, string htmlBody, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(Insert, new { id, recipient, subject, textBody, htmlBody }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<OutboxMail>> LeaseAsync(NpgsqlConnection db, int batch, TimeSpan lease, CancellationToken ct) =>
        [.. await db.QueryAsync<OutboxMail>(new CommandDefinition(Lease, new { batch, lease }, cancellationToken: ct))];

    public static Task MarkSentAsync(NpgsqlConnection db, Guid id, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(MarkSent, new { id }, cancellationToken: ct));

    public static Task MarkRetryAsync(NpgsqlConnection db, Guid id, TimeSpan delay, string error, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(MarkRetry, new { id, delay, error }, cancellationToken: ct));

    public static Task MarkFailedAsync(NpgsqlConnection db, Guid id, string error, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(MarkFailed, new { id, error }, cancellationToken: ct));

    public static Task DropForRecipientAsync(NpgsqlConnection db, NpgsqlTransaction tx, string recipient, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(DropForRecipient, new { recipient }, tx, cancellationToken: ct));

    public static Task<int> DeleteOldAsync(NpgsqlConnection db, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(DeleteOld, cancellationToken: ct));
}
