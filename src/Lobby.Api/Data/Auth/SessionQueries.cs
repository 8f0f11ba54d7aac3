using Dapper;
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
    private const string SelectTokenForUpdate = """
        SELECT rt.session_id AS SessionId,
               rt.rotated_at IS NOT NULL AS Rotated,
               coalesce(rt.rotated_at > now() - @grace::interval, false) AS WithinGrace,
               (s.revoked_at IS NULL AND s.expires_at > now() AND s.last_used_at > now() - @idle::interval) AS SessionActive,
               u.id AS UserId, u.email AS Email, u.display_name AS DisplayName, u.role AS Role,
               u.disabled AS Disabled, u.created_at AS CreatedAt, u.email_verified_at IS NOT NULL AS EmailVerified
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

    private const string SelectActiveOfUser = """
        SELECT id AS Id, user_agent AS UserAgent, ip AS Ip, created_at AS CreatedAt, last_used_at AS LastUsedAt
        FROM sessions
        WHERE user_id = @userId AND revoked_at IS NULL AND expires_at > now() AND last_used_at > now() - @idle::interval
        ORDER BY last_used_at DESC, id
        LIMIT 100
        """;

    private const string SelectState = """
        SELECT (s.revoked_at IS NULL AND s.expires_at > now()) AS Active, s.user_id AS UserId, u.role AS Role, u.disabled AS Disabled
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = @sessionId
        """;

    public static Task InsertSessionAsync(
        NpgsqlConnection db, NpgsqlTransaction? tx, Guid id, Guid userId, string? userAgent, string? ip, TimeSpan lifetime, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(InsertSession, new { id, userId, userAgent, ip, lifetime }, tx, cancellationToken: ct));

    public static Task InsertRefreshTokenAsync(NpgsqlConnection db, NpgsqlTransaction? tx, byte[] hash, Guid sessionId, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(InsertToken, new { hash, sessionId }, tx, cancellationToken: ct));

    public static Task<RefreshTokenLookup?> FindTokenForUpdateAsync(
        NpgsqlConnection db, NpgsqlTransaction tx, byte[] hash, TimeSpan grace, TimeSpan idle, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<RefreshTokenLookup>(new CommandDefinition(SelectTokenForUpdate, new { hash, grace, idle }, tx, cancellationToken: ct));

    /// <summary>Null when the token is not part of that session; otherwise whether it was rotated.</summary>
    public static Task<bool?> IsRotatedAsync(NpgsqlConnection db, NpgsqlTransaction? tx, byte[] hash, Guid sessionId, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(SelectTokenRotated, new { hash, sessionId }, tx, cancellationToken: ct));

    public static Task MarkRotatedAsync(NpgsqlConnection db, NpgsqlTransaction? tx, byte[] hash, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(MarkRotated, new { hash }, tx, cancellationToken: ct));

    public static Task TouchAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid sessionId, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(Touch, new { sessionId }, tx, cancellationToken: ct));

    public static async Task<bool> RevokeAsync(NpgsqlConnection db, NpgsqlTransaction? tx, Guid sessionId, Guid userId, string reason, CancellationToken ct) =>
        await db.ExecuteAsync(new CommandDefinition(Revoke, new { sessionId, userId, reason }, tx, cancellationToken: ct)) == 1;

    public static async Task<IReadOnlyList<Guid>> RevokeAllOfUserAsync(
        NpgsqlConnection db, NpgsqlTransaction? tx, Guid userId, Guid? exceptSessionId, string reason, CancellationToken ct) =>
        [.. await db.QueryAsync<Guid>(new CommandDefinition(RevokeAllOfUser, new { userId, exceptSessionId, reason }, tx, cancellationToken: ct))];

    public static async Task<IReadOnlyList<SessionRow>> ListActiveAsync(NpgsqlConnection db, Guid userId, TimeSpan idle, CancellationToken ct) =>
        [.. await db.QueryAsync<SessionRow>(new CommandDefinition(SelectActiveOfUser, new { userId, idle }, cancellationToken: ct))];

    public static Task<SessionState?> StateAsync(NpgsqlConnection db, Guid sessionId, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<SessionState>(new CommandDefinition(SelectState, new { sessionId }, cancellationToken: ct));
}
