using Npgsql;

namespace Lobby.Api.Data.Accounts;

internal static class TokenPurpose
{
    public const string VerifyEmail = "verify_email";
    public const string ResetPassword = "reset_password";
    public const string ChangeEmail = "change_email";
}

/// <summary>A mailed token as found when redeemed: whose, for which address, still usable or not.</summary>
internal sealed record AccountTokenRow(Guid UserId, string Email, bool Usable, string UserEmail, bool UserDisabled)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from account_tokens t and users u.</summary>
    public const string Columns = """
        t.user_id, t.email, (t.used_at IS NULL AND t.expires_at > now() AND u.deleted_at IS NULL), u.email, u.disabled
        """;

    public static AccountTokenRow Read(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetString(1), r.GetBoolean(2), r.GetString(3), r.GetBoolean(4));
}

/// <summary>Single-use mailed tokens by hash, bound to one purpose. Times come from the database clock.</summary>
internal static class AccountTokenQueries
{
    private const string Insert = """
        INSERT INTO account_tokens (token_hash, user_id, purpose, email, expires_at)
        VALUES (@hash, @userId, @purpose, @email, now() + @lifetime)
        """;

    // Locks the token, so two redeems of one link run one after the other and the second sees it used.
    private const string SelectForUpdate = $"""
        SELECT {AccountTokenRow.Columns}
        FROM account_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = @hash AND t.purpose = @purpose
        FOR UPDATE OF t
        """;

    private const string MarkUsed = "UPDATE account_tokens SET used_at = now() WHERE token_hash = @hash";

    // Every open token of that purpose: a reset or a confirmed change retires the links mailed before it.
    private const string RetireAll = """
        UPDATE account_tokens SET used_at = now()
        WHERE user_id = @userId AND purpose = @purpose AND used_at IS NULL
        """;

    private const string DeleteExpired = "DELETE FROM account_tokens WHERE expires_at < now() - interval '7 days'";

    public static Task InsertAsync(NpgsqlConnection db, NpgsqlTransaction? tx, byte[] hash, Guid userId, string purpose, string email, TimeSpan lifetime, CancellationToken ct) =>
        Sql.Command(db, tx, Insert).With("hash", hash).With("userId", userId).With("purpose", purpose).With("email", email)
            .With("lifetime", lifetime).ExecuteAsync(ct);

    public static Task<AccountTokenRow?> FindForUpdateAsync(NpgsqlConnection db, NpgsqlTransaction tx, byte[] hash, string purpose, CancellationToken ct) =>
        Sql.Command(db, tx, SelectForUpdate).With("hash", hash).With("purpose", purpose).SingleOrDefaultAsync(AccountTokenRow.Read, ct);

    public static Task MarkUsedAsync(NpgsqlConnection db, NpgsqlTransaction tx, byte[] hash, CancellationToken ct) =>
        Sql.Command(db, tx, MarkUsed).With("hash", hash).ExecuteAsync(ct);

    public static Task RetireAllAsync(NpgsqlConnection db, NpgsqlTransaction tx, Guid userId, string purpose, CancellationToken ct) =>
        Sql.Command(db, tx, RetireAll).With("userId", userId).With("purpose", purpose).ExecuteAsync(ct);

    public static Task<int> DeleteExpiredAsync(NpgsqlConnection db, CancellationToken ct) =>
        Sql.Command(db, null, DeleteExpired).ExecuteAsync(ct);
}
