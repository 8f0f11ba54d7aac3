namespace Lobby.Api.Data.Users;

internal sealed record ProfileRow(Guid Id, string Email, string DisplayName, string Role, DateTime CreatedAt, bool EmailVerified);

internal sealed record PublicProfileRow(Guid Id, string DisplayName, DateTime CreatedAt);

internal sealed record AdminUserRow(Guid Id, string Email, string DisplayName, string Role, bool Disabled, DateTime CreatedAt);

internal sealed record AuditRow(Guid Id, Guid ActorId, Guid TargetId, string Field, string OldValue, string NewValue, string RequestId, DateTime CreatedAt);
