namespace Lobby.Api.Http.Users;

// Only these fields bind; anything else in the body (role, email, id, disabled...) is rejected
// by the JSON options before a handler runs, so mass assignment cannot happen.

internal sealed record UpdateMeRequest(string? DisplayName);

internal sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

internal sealed record AdminUpdateUserRequest(string? Role, bool? Disabled);
