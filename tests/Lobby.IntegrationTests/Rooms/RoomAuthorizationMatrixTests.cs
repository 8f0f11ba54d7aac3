using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Rooms;

/// <summary>The people around one room, made once for the class.</summary>
public sealed class RoomCast : IAsyncLifetime
{
    public RoomsFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public Dictionary<string, TestAuth> Actors { get; } = [];

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Factory).InitializeAsync();
        Client = Factory.CreateClient();
        foreach (var name in new[] { "owner", "member", "stranger", "victim", "invitee" })
        {
            Actors[name] = await AuthApi.RegisterAsync(Client, AuthApi.NewEmail(name));
        }

        Actors["moderator"] = await Admins.CreateAsync(Factory, Client, "MODERATOR");
        Actors["admin"] = await Admins.CreateAsync(Factory, Client, "ADMIN");
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)Factory).DisposeAsync();
}

public sealed class RoomAuthorizationMatrixTests(RoomCast cast) : IClassFixture<RoomCast>
{
    private static readonly string[] Callers = ["owner", "member", "stranger", "moderator", "admin", "anonymous"];

    // Expected status per caller, in the order of Callers. Strangers see a private room as
    // missing (404, never 403); MODERATOR and ADMIN see every room; only members post.
    public static TheoryData<string, string, int[]> Matrix => new()
    {
        { "public", "GET room", [200, 200, 200, 200, 200, 401] },
        { "public", "PATCH room", [200, 403, 403, 200, 200, 401] },
        { "public", "DELETE room", [204, 403, 403, 403, 204, 401] },
        { "public", "POST join", [200, 200, 201, 201, 201, 401] },
        { "public", "GET members", [200, 200, 200, 200, 200, 401] },
        { "public", "POST members", [201, 403, 403, 403, 403, 401] },
        { "public", "DELETE member", [204, 403, 403, 204, 204, 401] },
        { "public", "GET messages", [200, 200, 200, 200, 200, 401] },
        { "public", "POST message", [201, 201, 403, 403, 403, 401] },
        { "public", "PATCH message", [200, 403, 403, 403, 403, 401] },
        { "public", "DELETE message", [204, 403, 403, 204, 204, 401] },
        { "private", "GET room", [200, 200, 404, 200, 200, 401] },
        { "private", "PATCH room", [200, 403, 404, 200, 200, 401] },
        { "private", "DELETE room", [204, 403, 404, 403, 204, 401] },
        { "private", "POST join", [200, 200, 404, 403, 403, 401] },
        { "private", "GET members", [200, 200, 404, 200, 200, 401] },
        { "private", "POST members", [201, 403, 404, 403, 403, 401] },
        { "private", "DELETE member", [204, 403, 404, 204, 204, 401] },
        { "private", "GET messages", [200, 200, 404, 200, 200, 401] },
        { "private", "POST message", [201, 201, 404, 403, 403, 401] },
        { "private", "PATCH message", [200, 403, 404, 403, 403, 401] },
        { "private", "DELETE message", [204, 403, 404, 204, 204, 401] },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_the_documented_status(string visibility, string operation, int[] expected)
    {
        var actual = new List<int>();
        foreach (var caller in Callers)
        {
            // A fresh room per cell, so one caller's change cannot decide another's answer.
            var owner = cast.Actors["owner"];
            var room = await RoomsApi.CreateAsync(cast.Client, owner, visibility);
            await RoomsApi.AddMemberAsync(cast.Client, owner, room.Id, cast.Actors["member"].User.Id);
            await RoomsApi.AddMemberAsync(cast.Client, owner, room.Id, cast.Actors["victim"].User.Id);
            var message = await RoomsApi.PostAsync(cast.Client, owner, room.Id, "the owner's message");

            var token = caller == "anonymous" ? null : cast.Actors[caller].AccessToken;
            using var response = await SendAsync(operation, room.Id, message.Id, token);
            actual.Add((int)response.StatusCode);
            if ((int)response.StatusCode >= 400)
            {
                await Problems.AssertProblemAsync(response, (int)response.StatusCode);
            }
        }

        Assert.Equal(
            string.Join(", ", Callers.Zip(expected, (c, s) => $"{c}={s}")),
            string.Join(", ", Callers.Zip(actual, (c, s) => $"{c}={s}")));
    }

    [Fact]
    public async Task Room_lists_show_public_rooms_and_only_my_private_ones()
    {
        var owner = cast.Actors["owner"];
        var tag = "list" + Guid.NewGuid().ToString("N")[..6];
        var open = await RoomsApi.CreateAsync(cast.Client, owner, "public", tag + " open");
        var hidden = await RoomsApi.CreateAsync(cast.Client, owner, "private", tag + " hidden");
        await RoomsApi.AddMemberAsync(cast.Client, owner, hidden.Id, cast.Actors["member"].User.Id);

        Assert.Equal([hidden.Id, open.Id], await ListAsync("member", $"?query={tag}"));
        Assert.Equal([open.Id], await ListAsync("stranger", $"?query={tag}"));
        Assert.Equal([open.Id], await ListAsync("moderator", $"?query={tag}"));
        Assert.Equal([hidden.Id], await ListAsync("member", $"?query={tag}&mine=true&limit=1"));
        Assert.Empty(await ListAsync("stranger", $"?query={tag}&mine=true"));
    }

    [Fact]
    public async Task Creating_rooms_needs_a_token()
    {
        using var response = await AuthApi.SendAsync(cast.Client, HttpMethod.Post, "/api/v1/rooms", null, new { name = "x", visibility = "public" });
        await Problems.AssertProblemAsync(response, 401);
    }

    private async Task<List<Guid>> ListAsync(string caller, string query)
    {
        using var response = await AuthApi.GetAsync(cast.Client, "/api/v1/rooms" + query, cast.Actors[caller].AccessToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return [.. body.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid())];
    }

    private Task<HttpResponseMessage> SendAsync(string operation, Guid roomId, Guid messageId, string? token)
    {
        var room = $"/api/v1/rooms/{roomId}";
        return operation switch
        {
            "GET room" => Send(HttpMethod.Get, room, null),
            "PATCH room" => Send(HttpMethod.Patch, room, new { topic = "changed" }),
            "DELETE room" => Send(HttpMethod.Delete, room, null),
            "POST join" => Send(HttpMethod.Post, room + "/join", null),
            "GET members" => Send(HttpMethod.Get, room + "/members", null),
            "POST members" => Send(HttpMethod.Post, room + "/members", new { userId = cast.Actors["invitee"].User.Id }),
            "DELETE member" => Send(HttpMethod.Delete, $"{room}/members/{cast.Actors["victim"].User.Id}", null),
            "GET messages" => Send(HttpMethod.Get, room + "/messages", null),
            "POST message" => Send(HttpMethod.Post, room + "/messages", new { body = "hi" }),
            "PATCH message" => Send(HttpMethod.Patch, $"{room}/messages/{messageId}", new { body = "edited" }),
            "DELETE message" => Send(HttpMethod.Delete, $"{room}/messages/{messageId}", null),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body) => AuthApi.SendAsync(cast.Client, method, path, token, body);
    }
}
