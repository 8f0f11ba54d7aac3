namespace Lobby.Api.Services.Users;

/// <summary>What anyone signed in may see of a user: never the email.</summary>
internal sealed record PublicProfile(Guid Id, string DisplayName, DateTime CreatedAt);

/// <summary>Someone as others see them (authors, the other side of a DM, directory results): never the email.</summary>
internal sealed record UserSummary(Guid Id, string DisplayName);

/// <summary>A user as admins see it.</summary>
internal sealed record AdminUserView(Guid Id, string Email, string DisplayName, string Role, bool Disabled, DateTime CreatedAt);

/// <summary>One recorded admin change: who changed what on whom, from and to, when, in which request.</summary>
internal sealed record AuditEntry(Guid Id, Guid ActorId, Guid TargetId, string Field, string From, string To, string RequestId, DateTime CreatedAt);
