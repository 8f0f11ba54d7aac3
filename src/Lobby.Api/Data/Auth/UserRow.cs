using Npgsql;

namespace Lobby.Api.Data.Auth;

internal sealed record UserRow(Guid Id, string Email, string DisplayName, string PasswordHash, string Role, bool Disabled, DateTime CreatedAt, bool EmailVerified)
{
    /// <summary>The select list <see cref="Read"/> maps by position, from users (unaliased).</summary>
    public const string Columns = "id, email, display_name, password_hash, role, disabled, created_at, email_verified_at IS NOT NULL";

    public static UserRow Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetBoolean(5), r.GetDateTime(6), r.GetBoolean(7));
}

/// <summary>A user found by email, and whether the row still lacks its email key (created before keys existed).</summary>
internal sealed record KeyedUserRow(Guid Id, string Email, string DisplayName, string PasswordHash, string Role, bool Disabled, DateTime CreatedAt, bool EmailVerified, bool NeedsKey)
{
    public const string Columns = $"{UserRow.Columns}, email_key IS NULL";

    public UserRow User => new(Id, Email, DisplayName, PasswordHash, Role, Disabled, CreatedAt, EmailVerified);

    public static KeyedUserRow Read(NpgsqlDataReader r)
    {
        var u = UserRow.Read(r);
        return new(u.Id, u.Email, u.DisplayName, u.PasswordHash, u.Role, u.Disabled, u.CreatedAt, u.EmailVerified, r.GetBoolean(8));
    }
}
