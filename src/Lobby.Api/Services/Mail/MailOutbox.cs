using Lobby.Api.Data;
using Lobby.Api.Data.Accounts;
using Npgsql;

namespace Lobby.Api.Services.Mail;

/// <summary>
/// Where services put mail: a row in the transaction that causes it (so a rolled-back change sends
/// nothing and a committed one loses nothing), then <see cref="Wake"/> after the commit so this
/// replica's <see cref="OutboxSender"/> sends it at once instead of at its next poll.
/// </summary>
internal sealed class MailOutbox : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public static Task EnqueueAsync(NpgsqlConnection db, NpgsqlTransaction? tx, MailDraft mail, CancellationToken ct) =>
        MailOutboxQueries.InsertAsync(db, tx, Ids.NewId(), mail.To, mail.Subject, mail.Text, mail.Html, ct);

    public void Dispose() => _signal.Dispose();

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: one pass sends everything due.
        }
    }

    /// <summary>Waits for a wake-up or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan poll, CancellationToken ct) => _signal.WaitAsync(poll, ct);
}
