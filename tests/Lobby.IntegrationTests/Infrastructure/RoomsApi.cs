using System.Net.Http.Json;
using System.Text.Json;

namespace Lobby.IntegrationTests.Infrastructure;

public sealed record TestRoom(
    Guid Id, string Name, string Topic, string Visibility, Guid OwnerId, long LastSeq, DateTime CreatedAt, DateTime UpdatedAt, string? MyRole,
    string Kind = "room", long LastReadSeq = 0, long UnreadCount = 0, TestUserSummary? Peer = null);

public sealed record TestUserSummary(Guid Id, string DisplayName);

public sealed record TestMessage(
    Guid Id, Guid RoomId, long Seq, Guid AuthorId, TestUserSummary Author, string? Body, DateTime CreatedAt, DateTime? EditedAt, DateTime? DeletedAt);

public sealed record TestMessagePage(List<TestMessage> Items, string? NextCursor);

public sealed record TestPage<T>(List<T> Items, string? NextCursor);

public sealed record TestMember(Guid UserId, string DisplayName, string Role, DateTime JoinedAt);

/// <summary>Rooms, members and messages through the public API.</summary>
internal static class RoomsApi
{
    public static async Task<TestRoom> CreateAsync(HttpClient client, TestAuth owner, string visibility = "public", string? name = null)
    {
        using var response = await AuthApi.SendAsync(client, HttpMethod.Post, "/api/v1/rooms", owner.AccessToken, new { name = name ?? "Room " + Guid.NewGuid().ToString("N")[..6], topic = "A topic", visibility });
        return await ReadAsync<TestRoom>(response, 201);
    }

    public static async Task AddMemberAsync(HttpClient client, TestAuth owner, Guid roomId, Guid userId)
    {
        using var response = await AuthApi.SendAsync(client, HttpMethod.Post, $"/api/v1/rooms/{roomId}/members", owner.AccessToken, new { userId });
        Assert.True((int)response.StatusCode is 200 or 201, await response.Content.ReadAsStringAsync());
    }

    public static async Task<TestMessage> PostAsync(HttpClient client, TestAuth author, Guid roomId, string body = "hello")
    {
        using var response = await AuthApi.SendAsync(client, HttpMethod.Post, $"/api/v1/rooms/{roomId}/messages", author.AccessToken, new { body });
        return await ReadAsync<TestMessage>(response, 201);
    }

    public static async Task<IReadOnlyList<TestMessage>> MessagesAsync(HttpClient client, TestAuth reader, Guid roomId, string query = "") =>
        (await MessagePageAsync(client, reader, roomId, query)).Items;

    public static async Task<TestMessagePage> MessagePageAsync(HttpClient client, TestAuth reader, Guid roomId, string query = "")
    {
        using var response = await AuthApi.GetAsync(client, $"/api/v1/rooms/{roomId}/messages{query}", reader.AccessToken);
        return await ReadAsync<TestMessagePage>(response, 200);
    }

    public static async Task<TestRoom> GetAsync(HttpClient client, TestAuth reader, Guid roomId)
    {
        using var response = await AuthApi.GetAsync(client, $"/api/v1/rooms/{roomId}", reader.AccessToken);
        return await ReadAsync<TestRoom>(response, 200);
    }

    public static async Task<HttpResponseMessage> MarkReadAsync(HttpClient client, TestAuth reader, Guid roomId, long seq) =>
        await AuthApi.SendAsync(client, HttpMethod.Post, $"/api/v1/rooms/{roomId}/read", reader.AccessToken, new { seq });

    public static async Task<TestRoom> OpenDmAsync(HttpClient client, TestAuth user, Guid otherId, int status = 201)
    {
        using var response = await AuthApi.SendAsync(client, HttpMethod.Post, "/api/v1/dms", user.AccessToken, new { userId = otherId });
        return await ReadAsync<TestRoom>(response, status);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, AuthApi.Json)!;
    }
}
