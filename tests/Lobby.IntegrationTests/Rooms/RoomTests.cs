using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Rooms;

public sealed class RoomTests(RoomsFactory factory) : IClassFixture<RoomsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("%00")]
    [InlineData("ab%00cd")]
    [InlineData("%01")]
    public async Task A_search_query_with_a_nul_or_control_character_is_400_naming_it(string query)
    {
        var user = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.GetAsync(_client, "/api/v1/rooms?query=" + query, user.AccessToken);

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("query", out _), problem.ToString());
    }

    [Fact]
    public async Task Creating_a_room_makes_the_creator_its_owner()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/rooms", owner.AccessToken, new { name = "  Lounge ", visibility = "PRIVATE" });
        var room = await RoomsApi.ReadAsync<TestRoom>(response, 201);

        Assert.Equal("Lounge", room.Name);
        Assert.Equal("", room.Topic);
        Assert.Equal("private", room.Visibility);
        Assert.Equal(owner.User.Id, room.OwnerId);
        Assert.Equal("owner", room.MyRole);
        Assert.Equal(0, room.LastSeq);
        Assert.Equal($"/api/v1/rooms/{room.Id}", response.Headers.Location?.ToString());
        using var members = await AuthApi.GetAsync(_client, $"/api/v1/rooms/{room.Id}/members", owner.AccessToken);
        var page = await RoomsApi.ReadAsync<TestPageOfMembers>(members, 200);
        Assert.Equal(("owner", owner.User.Id), (page.Items.Single().Role, page.Items.Single().UserId));
    }

    public static TheoryData<object, string> InvalidRooms => new()
    {
        { new { name = "", visibility = "public" }, "name" },
        { new { name = new string('n', 81), visibility = "public" }, "name" },
        { new { name = "ok", topic = new string('t', 501), visibility = "public" }, "topic" },
        { new { name = "ok", visibility = "secret" }, "visibility" },
        { new { name = "ok" }, "visibility" },
        { new { name = "bad\u202Ename", visibility = "public" }, "name" },
        { new { name = "ok", visibility = "public", ownerId = Guid.NewGuid() }, "ownerId" },
    };

    [Theory]
    [MemberData(nameof(InvalidRooms))]
    public async Task Invalid_rooms_are_400_naming_the_field(object body, string field)
    {
        var owner = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/rooms", owner.AccessToken, body);

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Joining_twice_is_idempotent()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var guest = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner);

        using var first = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/join", guest.AccessToken);
        using var second = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/join", guest.AccessToken);

        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(200, (int)second.StatusCode);
        Assert.Equal("member", (await second.Content.ReadFromJsonAsync<TestMember>(AuthApi.Json))!.Role);
    }

    [Fact]
    public async Task The_owner_cannot_leave_until_they_hand_the_room_over()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var heir = await AuthApi.RegisterAsync(_client);
        var outsider = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner, "private");
        await RoomsApi.AddMemberAsync(_client, owner, room.Id, heir.User.Id);

        using var leave = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/members/{owner.User.Id}", owner.AccessToken);
        await Problems.AssertProblemAsync(leave, 409);

        using var toOutsider = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}", owner.AccessToken, new { ownerId = outsider.User.Id });
        await Problems.AssertProblemAsync(toOutsider, 400);

        using var handOver = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}", owner.AccessToken, new { ownerId = heir.User.Id });
        var updated = await RoomsApi.ReadAsync<TestRoom>(handOver, 200);
        Assert.Equal(heir.User.Id, updated.OwnerId);
        Assert.Equal("member", updated.MyRole);

        using var leaveNow = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/members/{owner.User.Id}", owner.AccessToken);
        Assert.Equal(204, (int)leaveNow.StatusCode);
        using var gone = await AuthApi.GetAsync(_client, $"/api/v1/rooms/{room.Id}", owner.AccessToken);
        await Problems.AssertProblemAsync(gone, 404);
    }

    [Fact]
    public async Task A_removed_member_loses_a_private_room_at_once()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var member = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner, "private");
        await RoomsApi.AddMemberAsync(_client, owner, room.Id, member.User.Id);
        await RoomsApi.PostAsync(_client, member, room.Id, "I was here");

        using var remove = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/members/{member.User.Id}", owner.AccessToken);
        using var read = await AuthApi.GetAsync(_client, $"/api/v1/rooms/{room.Id}/messages", member.AccessToken);
        using var again = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/members/{member.User.Id}", owner.AccessToken);

        Assert.Equal(204, (int)remove.StatusCode);
        await Problems.AssertProblemAsync(read, 404);
        await Problems.AssertProblemAsync(again, 404);
    }

    [Fact]
    public async Task Adding_an_unknown_user_is_400_and_adding_twice_is_200()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var friend = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner, "private");

        using var unknown = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/members", owner.AccessToken, new { userId = Guid.NewGuid() });
        using var missing = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/members", owner.AccessToken, new { });
        using var first = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/members", owner.AccessToken, new { userId = friend.User.Id });
        using var second = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/members", owner.AccessToken, new { userId = friend.User.Id });

        await Problems.AssertProblemAsync(unknown, 400);
        await Problems.AssertProblemAsync(missing, 400);
        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(200, (int)second.StatusCode);
    }

    [Fact]
    public async Task Patch_changes_only_the_given_fields_and_rejects_unknown_ones()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner, "public", "Before");

        using var patch = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}", owner.AccessToken, new { topic = "New topic" });
        var updated = await RoomsApi.ReadAsync<TestRoom>(patch, 200);
        using var unknown = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}", owner.AccessToken, new { lastSeq = 99 });
        using var empty = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}", owner.AccessToken, new { });

        Assert.Equal(("Before", "New topic", "public"), (updated.Name, updated.Topic, updated.Visibility));
        Assert.True(updated.UpdatedAt > room.UpdatedAt);
        await Problems.AssertProblemAsync(unknown, 400);
        await Problems.AssertProblemAsync(empty, 400);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=101")]
    [InlineData("?cursor=nope")]
    [InlineData("?mine=maybe")]
    public async Task Bad_list_parameters_are_400(string query)
    {
        var user = await AuthApi.RegisterAsync(_client);
        using var response = await AuthApi.GetAsync(_client, "/api/v1/rooms" + query, user.AccessToken);
        await Problems.AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task Room_list_pages_with_a_cursor_without_duplicates()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var tag = "pg" + Guid.NewGuid().ToString("N")[..6];
        var created = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await RoomsApi.CreateAsync(_client, owner, "public", $"{tag} {i}")).Id);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            using var response = await AuthApi.GetAsync(_client, $"/api/v1/rooms?query={tag}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"), owner.AccessToken);
            var page = await RoomsApi.ReadAsync<TestPageOfRooms>(response, 200);
            seen.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null && seen.Count < 50);

        Assert.Equal(created.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task Posting_faster_than_the_limit_gets_429()
    {
        await using var strict = new StrictPostingFactory();
        await ((IAsyncLifetime)strict).InitializeAsync();
        try
        {
            var client = strict.CreateClient();
            var owner = await AuthApi.RegisterAsync(client);
            var room = await RoomsApi.CreateAsync(client, owner);
            for (var i = 0; i < 3; i++)
            {
                await RoomsApi.PostAsync(client, owner, room.Id, $"m{i}");
            }

            using var limited = await AuthApi.SendAsync(client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/messages", owner.AccessToken, new { body = "one too many" });
            await Problems.AssertProblemAsync(limited, 429);
            Assert.NotNull(limited.Headers.RetryAfter);
        }
        finally
        {
            await ((IAsyncLifetime)strict).DisposeAsync();
        }
    }

    private sealed class StrictPostingFactory : LobbyFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["MESSAGE_RATE_LIMIT_PER_MINUTE"] = "3" };
    }
}

public sealed record TestPageOfMembers(IReadOnlyList<TestMember> Items, string? NextCursor);

public sealed record TestPageOfRooms(IReadOnlyList<TestRoom> Items, string? NextCursor);
