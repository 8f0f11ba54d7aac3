using Npgsql;

namespace Lobby.Api.Data.Auth;

/// <summary>Sign-in sessions and their refresh-token chains. Times come from the database clock, shared by all replicas.</summary>
internal static class SessionQueries
{
    private const string InsertSession = """
        INSERT INTO sessions (id, user_id, user_agent, ip, expires_at)
        VALUES (@id, @userId, @userAgent, @ip, now() + @lifetime)
        """;

    private const string InsertToken = "INSERT INTO refresh_tokens (token_hash, session_id) VALUES (@hash, @sessionId)";

    // Locks the token and its session so concurrent refreshes with one token run one at a time
    // and the second sees the first one's rotation.
    private const string SelectTokenForUpdate = $"""
        SELECT {RefreshTokenLookup.Columns}
        FROM refresh_tokens rt
        JOIN sessions s ON s.id = rt.session_id
        JOIN users u ON u.id = s.user_id
        WHERE rt.token_hash = @hash
        FOR UPDATE OF rt, s
        """;

    private const string SelectTokenRotated = "SELECT rotated_at IS NOT NULL FROM refresh_tokens WHERE token_hash = @hash AND session_id = @sessionId";

    private const string MarkRotated = "UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = @hash";

    private const string Touch = "UPDATE sessions SET last_used_at = now() WHERE id = @sessionId";

    private const string Revoke = """
        UPDATE sessions SET revoked_at = now(), revoked_reason = @reason
        WHERE id = @sessionId AND user_id = @userId AND revoked_at IS NULL
        """;

    private const string RevokeAllOfUser = """
        UPDATE sessions SET revoked_at = now(), revoked_reason = @reason
        WHERE user_id = @userId AND revoked_at IS NULL AND id IS DISTINCT FROM @exceptSessionId
        RETURNING id
        """;

    private const string SelectActiveOfUser = $"""
        SELECT {SessionRow.Columns}
        FROM sessions
        WHERE user_id = @userId AND revoked_at IS NULL AND expires_at > now() AND last_used_at > now() - @idle::interval
        ORDER BY last_used_at DESC, id
        LIMIT 100
        """;

    private const string SelectState = $"""
        SELECT {SessionState.Columns}
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = @sessionId
        """;

    public static Task InsertSessionAsync(
        NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, Guid userId, string? userAgent, string? ip, TimeSpan lifetime, CancellationToken ct) =>
        Sql.Command(db, tx, InsertSession).With("id", id).With("userId", userId).With("userAgent", userAgent).With("ip", ip)
            .With("lifetime", lifetime).ExecuteAsync(ct);

    public static Task InsertRefreshTokenAsync(NpgsqlConnection db, NpgsqlTransaction? tx, byte[] hash, Guid sessionId, CancellationToken ct) =>
        Sql.Command(db, tx, InsertToken).With("hash", hash).With("sessionId", sessionId).ExecuteAsync(ct);

    public static Task<RefreshTokenLookup?> FindTokenForUpdateAsync(
        NpgsqlConnection db, NpgsqlTransaction tx, byte[] hash, TimeSpan grace, TimeSpan idle, CancellationToken ct) =>
        Sql.Command(db, tx, SelectTokenForUpdate).With("hash", hash).With("grace", grace).With("idle", idle)
            .SingleOrDefaultAsync(RefreshTokenLookup.Read, ct);

    /// <summary>Null when the token is not part of that session; otherwise whether it was rotated.</summary>
    public static Task<bool?> IsRotatedAsync(NpgsqlConnection db, NpgsqlTransaction? tx, byte[] hash, Guid sessionId, CancellationToken ct) =>
        Sql.Command(db, tx, SelectTokenRotated).With("hash", hash).With("sessionId", sessionId)
            .SingleOrDefaultAsync(r => (bool?)r.GetBoolean(0), ct);

    public static Task MarkRotatedAsync(NpgsqlConnection db, NpgsqlTransaction? tx, byte[] hash, CancellationToken ct) =>
        Sql.Command(db, tx, MarkRotated).With("hash", hash).ExecuteAsync(ct);

    public static Task TouchAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid sessionId, CancellationToken ct) =>
        Sql.Command(db, tx, Touch).With("sessionId", sessionId).ExecuteAsync(ct);

    public static async Task<bool> RevokeAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid sessionId, Guid userId, string reason, CancellationToken ct) =>
        await Sql.Command(db, tx, Revoke).With("sessionId", sessionId).With("userId", userId).With("reason", reason).ExecuteAsync(ct) == 1;

    public static async Task<IReadOnlyList<Guid>> RevokeAllOfUserAsync(
        NpgsqlConnection db, NpgsqlTransaction? tx, Guid userId, Guid? exceptSessionId, string reason, CancellationToken ct) =>
        await Sql.Command(db, tx, RevokeAllOfUser).With("userId", userId).With("exceptSessionId", exceptSessionId).With("reason", reason)
            .ListAsync(r => r.GetGuid(0), ct);

    public static async Task<IReadOnlyList<SessionRow>> ListActiveAsync(NpgsqlConnection db, Guid userId, TimeSpan idle, CancellationToken ct) =>
        await Sql.Command(db, null, SelectActiveOfUser).With("userId", userId).With("idle", idle).ListAsync(SessionRow.Read, ct);

    public static Task<SessionState?> StateAsync(NpgsqlConnection db, Guid sessionId, CancellationToken ct) =>
        Sql.Command(db, null, SelectState).With("sessionId", sessionId).SingleOrDefaultAsync(SessionState.Read, ct);
}
