using System.Text.Json;
using System.Text.Json.Serialization;
using Lobby.Api.Http.Accounts;
using Lobby.Api.Http.Auth;
using Lobby.Api.Http.Realtime;
using Lobby.Api.Http.Rooms;
using Lobby.Api.Http.Users;
using Lobby.Api.Security;
using Lobby.Api.Services;
using Lobby.Api.Services.Auth;
using Lobby.Api.Services.Rooms;
using Lobby.Api.Services.Users;

namespace Lobby.Api.Http;

/// <summary>
/// Every type Lobby reads or writes as JSON (request bodies, responses, live events, the Redis
/// relay), with serialisation code generated at build time. It is the only resolver the HTTP
/// API and the hub use: a type missing here fails at start-up or in the tests, not under Native
/// AOT in production, and no reflection-built serialiser is made at run time (issue 19).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(ForgotPasswordRequest))]
[JsonSerializable(typeof(ResetPasswordRequest))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(ChangeEmailRequest))]
[JsonSerializable(typeof(DeleteAccountRequest))]
[JsonSerializable(typeof(UpdateMeRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(AdminUpdateUserRequest))]
[JsonSerializable(typeof(CreateRoomRequest))]
[JsonSerializable(typeof(UpdateRoomRequest))]
[JsonSerializable(typeof(AddMemberRequest))]
[JsonSerializable(typeof(MessageRequest))]
[JsonSerializable(typeof(ReadRequest))]
[JsonSerializable(typeof(OpenDirectMessageRequest))]
[JsonSerializable(typeof(AuthResponse))]
[JsonSerializable(typeof(PendingRegistration))]
[JsonSerializable(typeof(MailAccepted))]
[JsonSerializable(typeof(AccountSettings))]
[JsonSerializable(typeof(EndedSessions))]
[JsonSerializable(typeof(IReadOnlyList<SessionInfo>))]
[JsonSerializable(typeof(JsonWebKeySet))]
[JsonSerializable(typeof(UserProfile))]
[JsonSerializable(typeof(PublicProfile))]
[JsonSerializable(typeof(AdminUserView))]
[JsonSerializable(typeof(Page<UserSummary>))]
[JsonSerializable(typeof(Page<AdminUserView>))]
[JsonSerializable(typeof(Page<AuditEntry>))]
[JsonSerializable(typeof(RoomView))]
[JsonSerializable(typeof(Page<RoomView>))]
[JsonSerializable(typeof(MemberView))]
[JsonSerializable(typeof(Page<MemberView>))]
[JsonSerializable(typeof(MessageView))]
[JsonSerializable(typeof(MessagePage))]
[JsonSerializable(typeof(ReadState))]
// Live events: RoomEvent.Data is object, serialised as its runtime type, so each payload is listed.
[JsonSerializable(typeof(RoomEvent))]
[JsonSerializable(typeof(MemberLeftData))]
[JsonSerializable(typeof(RoomRef))]
[JsonSerializable(typeof(UserRef))]
[JsonSerializable(typeof(PresenceData))]
[JsonSerializable(typeof(SubscriptionEndedData))]
[JsonSerializable(typeof(RestartHint))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(RedisEventRelay.Envelope))]
// Errors (RFC 9457), and what their extension members hold.
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IDictionary<string, string[]>))]
// Hub method arguments.
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(long))]
internal sealed partial class LobbyJsonContext : JsonSerializerContext
{
    /// <summary>Makes this context the options' only resolver, with no reflection fallback (HTTP and hub JSON options).</summary>
    public static void ResolveOnlyWith(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Clear();
        options.TypeInfoResolverChain.Add(Default);
    }
}
