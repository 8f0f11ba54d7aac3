using Dapper;
using Npgsql;

namespace Lobby.Api.Data.Users;

/// <summary>The admin audit trail: appended inside the transaction of the change it records.</summary>
internal static class AuditQueries
{
    // The id comes from the database (lobby_uuid_v7): the trail pages newest first by id, in the
    // database's one clock, whichever replica recorded the change.
    private const string Insert = """
        INSERT INTO admin_audit (id, actor_id, target_id, field, old_value, new_value, request_id)
        VALUES (lobby_uuid_v7(), @actorId, @targetId, @field, @oldValue, @newValue, @requestId)
        """;

    private const string Page = """
        SELECT id AS Id, actor_id AS ActorId, target_id AS TargetId, field AS Field, old_value AS OldValue,
               new_value AS NewValue, request_id AS RequestId, created_at AS CreatedAt
        FROM admin_audit
        WHERE (@after::uuid IS NULL OR id < @after)
        ORDER BY id DESC
        LIMIT @take
        """;

    public static Task InsertAsync(
        NpgsqlConnection db, NpgsqlTransaction tx, Guid actorId, Guid targetId, string field, string oldValue, string newValue, string requestId, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition(Insert, new { actorId, targetId, field, oldValue, newValue, requestId }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<AuditRow>> PageAsync(NpgsqlConnection db, Guid? after, int take, CancellationToken ct) =>
        [.. await db.QueryAsync<AuditRow>(new CommandDefinition(Page, new { after, take }, cancellationToken: ct))];
}
