using Npgsql;

namespace Lobby.Api.Data.Accounts;

internal sealed record OutboxMail(Guid Id, string Recipient, string Subject, string TextBody, string HtmlBody, int Attempts)
{
    /// <summary>
    /// The select list <see cref="Read"/> maps by position, from mail_outbox (unaliased). The bodies
    /// are NULL only once a mail is sent or failed, and such a mail is never leased again.
    /// </summary>
    public const string Columns = "id, recipient, subject, text_body, html_body, attempts";

    public static OutboxMail Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5));
}

/// <summary>The durable mail queue: written in the causing transaction, leased and sent by OutboxSender.</summary>
internal static class MailOutboxQueries
{
    private const string Insert = """
        INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body)
        VALUES (@id, @recipient, @subject, @textBody, @htmlBody)
        """;

    // SKIP LOCKED and the lease let several replicas drain one outbox without sending a mail twice;
    // a replica killed mid-send leaves a lease that simply runs out.
    private const string Lease = $"""
        UPDATE mail_outbox SET leased_until = now() + @lease, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM mail_outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
              AND (leased_until IS NULL OR leased_until < now())
            ORDER BY next_attempt_at
            LIMIT @batch
            FOR UPDATE SKIP LOCKED)
        RETURNING {OutboxMail.Columns}
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
        Sql.Command(db, tx, Insert).With("id", id).With("recipient", recipient).With("subject", subject).With("textBody", textBody)
            .With("htmlBody", htmlBody).ExecuteAsync(ct);

    public static async Task<IReadOnlyList<OutboxMail>> LeaseAsync(NpgsqlConnection db, int batch, TimeSpan lease, CancellationToken ct) =>
        await Sql.Command(db, null, Lease).With("batch", batch).With("lease", lease).ListAsync(OutboxMail.Read, ct);

    public static Task MarkSentAsync(NpgsqlConnection db, Guid id, CancellationToken ct) =>
        Sql.Command(db, null, MarkSent).With("id", id).ExecuteAsync(ct);

    public static Task MarkRetryAsync(NpgsqlConnection db, Guid id, TimeSpan delay, string error, CancellationToken ct) =>
        Sql.Command(db, null, MarkRetry).With("id", id).With("delay", delay).With("error", error).ExecuteAsync(ct);

    public static Task MarkFailedAsync(NpgsqlConnection db, Guid id, string error, CancellationToken ct) =>
        Sql.Command(db, null, MarkFailed).With("id", id).With("error", error).ExecuteAsync(ct);

    public static Task DropForRecipientAsync(NpgsqlConnection db, NpgsqlTransaction tx, string recipient, CancellationToken ct) =>
        Sql.Command(db, tx, DropForRecipient).With("recipient", recipient).ExecuteAsync(ct);

    public static Task<int> DeleteOldAsync(NpgsqlConnection db, CancellationToken ct) =>
        Sql.Command(db, null, DeleteOld).ExecuteAsync(ct);
}
