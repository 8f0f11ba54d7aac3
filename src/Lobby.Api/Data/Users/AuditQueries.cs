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

    private const string Page = $"""
        SELECT {AuditRow.Columns}
        FROM admin_audit
        WHERE (@after::uuid IS NULL OR id < @after)
        ORDER BY id DESC
        LIMIT @take
        """;

    public static Task InsertAsync(
        NpgsqlConnection db, NpgsqlTransaction tx, Guid actorId, Guid targetId, string field, string oldValue, string newValue, string requestId, CancellationToken ct) =>
        Sql.Command(db, tx, Insert).With("actorId", actorId).With("targetId", targetId).With("field", field).With("oldValue", oldValue)
            .With("newValue", newValue).With("requestId", requestId).ExecuteAsync(ct);

    public static async Task<IReadOnlyList<AuditRow>> PageAsync(NpgsqlConnection db, Guid? after, int take, CancellationToken ct) =>
        await Sql.Command(db, null, Page).With("after", after).With("take", take).ListAsync(AuditRow.Read, ct);
}
