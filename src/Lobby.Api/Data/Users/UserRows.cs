using Npgsql;

namespace Lobby.Api.Data.Users;

internal sealed record ProfileRow(Guid Id, string Email, string DisplayName, string Role, DateTime CreatedAt, bool EmailVerified)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from users (unaliased).</summary>
    public const string Columns = "id, email, display_name, role, created_at, email_verified_at IS NOT NULL";

    public static ProfileRow Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDateTime(4), r.GetBoolean(5));
}

internal sealed record PublicProfileRow(Guid Id, string DisplayName, DateTime CreatedAt)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from users (unaliased).</summary>
    public const string Columns = "id, display_name, created_at";

    public static PublicProfileRow Read(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetString(1), r.GetDateTime(2));
}

internal sealed record AdminUserRow(Guid Id, string Email, string DisplayName, string Role, bool Disabled, DateTime CreatedAt)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from users (unaliased).</summary>
    public const string Columns = "id, email, display_name, role, disabled, created_at";

    public static AdminUserRow Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetDateTime(5));
}

internal sealed record AuditRow(Guid Id, Guid ActorId, Guid TargetId, string Field, string OldValue, string NewValue, string RequestId, DateTime CreatedAt)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from admin_audit (unaliased).</summary>
    public const string Columns = "id, actor_id, target_id, field, old_value, new_value, request_id, created_at";

    public static AuditRow Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetDateTime(7));
}
