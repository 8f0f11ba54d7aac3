using System.Text.Json.Nodes;
using Lobby.Api.Http.Auth;
using Lobby.Api.Http.Rooms;
using Lobby.Api.Http.Users;
using Lobby.Api.Security;
using Lobby.Api.Services.Auth;
using Lobby.Api.Services.Rooms;
using Lobby.Api.Services.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lobby.Api.Http.OpenApi;

/// <summary>
/// Makes response schemas say what the serializer guarantees (every field of a response record is
/// always present, null or not), adds the request id to problems, and gives request bodies examples.
/// </summary>
internal sealed class LobbySchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<Type, JsonNode> Examples = new()
    {
        [typeof(RegisterRequest)] = new JsonObject { ["email"] = "alice@example.com", ["password"] = "correct horse battery staple", ["displayName"] = "Alice" },
        [typeof(LoginRequest)] = new JsonObject { ["email"] = "alice@example.com", ["password"] = "correct horse battery staple" },
        [typeof(RefreshRequest)] = new JsonObject { ["refreshToken"] = "m2Zb0YyQ2n7Jc1kq8rTq3wX5vU9aP4sL6dF0hG2jK1E" },
        [typeof(UpdateMeRequest)] = new JsonObject { ["displayName"] = "Alice L." },
        [typeof(ChangePasswordRequest)] = new JsonObject { ["currentPassword"] = "correct horse battery staple", ["newPassword"] = "a longer passphrase still" },
        [typeof(AdminUpdateUserRequest)] = new JsonObject { ["role"] = "MODERATOR", ["disabled"] = false },
        [typeof(CreateRoomRequest)] = new JsonObject { ["name"] = "General", ["topic"] = "Anything goes", ["visibility"] = "public" },
        [typeof(UpdateRoomRequest)] = new JsonObject { ["topic"] = "Release planning" },
        [typeof(AddMemberRequest)] = new JsonObject { ["userId"] = "0197c5e3-b2a4-7c1e-9f0d-6a5b4c3d2e1f" },
        [typeof(MessageRequest)] = new JsonObject { ["body"] = "Hello, room!" },
    };

    private static readonly string[] GlobalRoles = [Roles.User, Roles.Moderator, Roles.Admin];
    private static readonly string[] Visibilities = [RoomPermissions.Public, RoomPermissions.Private];
    private static readonly string[] MemberRoles = [RoomPermissions.Owner, RoomPermissions.Member];

    // Fields that hold one of a few words; the service rejects anything else.
    private static readonly Dictionary<(Type, string), string[]> Enums = new()
    {
        [(typeof(UserProfile), "role")] = GlobalRoles,
        [(typeof(AdminUserView), "role")] = GlobalRoles,
        [(typeof(AdminUpdateUserRequest), "role")] = GlobalRoles,
        [(typeof(RoomView), "visibility")] = Visibilities,
        [(typeof(CreateRoomRequest), "visibility")] = Visibilities,
        [(typeof(UpdateRoomRequest), "visibility")] = Visibilities,
        [(typeof(RoomView), "myRole")] = MemberRoles,
        [(typeof(MemberView), "role")] = MemberRoles,
    };

    // Bodies where only the fields given change; every other request field is required.
    private static readonly HashSet<Type> PartialUpdates = [typeof(UpdateRoomRequest), typeof(AdminUpdateUserRequest)];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property)
        {
            TransformProperty(schema, property.DeclaringType, property.Name);
            return Task.CompletedTask;
        }

        var type = context.JsonTypeInfo.Type;
        if (type == typeof(ProblemDetails) || type == typeof(HttpValidationProblemDetails))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["requestId"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Matches the X-Request-ID response header; quote it when reporting a problem.",
            };
            // `errors` stays optional on 400: a malformed body or path value is a 400 with no field to name.
            schema.Required = new HashSet<string>(["title", "status", "detail", "instance", "requestId"]);
        }
        else if (IsResponseRecord(type) && schema.Properties is { Count: > 0 } properties)
        {
            schema.Required = new HashSet<string>(properties.Keys);
        }

        if (PartialUpdates.Contains(type))
        {
            schema.Required = null;
        }

        if (Examples.TryGetValue(type, out var example))
        {
            schema.Examples = [example.DeepClone()];
        }

        return Task.CompletedTask;
    }

    private static void TransformProperty(OpenApiSchema schema, Type declaringType, string name)
    {
        // Request fields are nullable in C# so that a missing one reaches the service's rules and is
        // reported by name; on the wire null is never a valid value, so the contract leaves it out.
        if (IsRequestRecord(declaringType) && schema.Type is { } type)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }

        if (Enums.TryGetValue((declaringType, name), out var values))
        {
            var nullable = schema.Type?.HasFlag(JsonSchemaType.Null) == true;
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)), .. nullable ? [JsonNullSentinel.JsonNull] : Array.Empty<JsonNode>()];
        }
    }

    private static bool IsRequestRecord(Type type) => type.Namespace?.StartsWith("Lobby.Api.Http", StringComparison.Ordinal) == true;

    // Response records live with the services (and the JWKS with the key ring); request records in Http.
    private static bool IsResponseRecord(Type type) =>
        type.Namespace is { } ns && (ns.StartsWith("Lobby.Api.Services", StringComparison.Ordinal) || ns == "Lobby.Api.Security");
}
