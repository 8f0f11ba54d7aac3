using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Rooms;

public sealed class DirectMessageTests(RoomsFactory factory) : IClassFixture<RoomsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_same_pair_gets_the_same_private_room_from_either_side_named_after_the_other()
    {
        var ann = await AuthApi.RegisterAsync(_client, displayName: "Ann");
        var bob = await AuthApi.RegisterAsync(_client, displayName: "Bob");

        var first = await RoomsApi.OpenDmAsync(_client, ann, bob.User.Id, 201);
        var again = await RoomsApi.OpenDmAsync(_client, ann, bob.User.Id, 200);
        var reverse = await RoomsApi.OpenDmAsync(_client, bob, ann.User.Id, 200);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Id, reverse.Id);
        Assert.Equal(("dm", "private", "Bob", "member"), (first.Kind, first.Visibility, first.Name, first.MyRole));
        Assert.Equal(new TestUserSummary(bob.User.Id, "Bob"), first.Peer);
        Assert.Equal(("Ann", ann.User.Id), (reverse.Name, reverse.Peer!.Id));

        // Listed under dms, each side with the other's name; not in the room list.
        using var annDms = await AuthApi.GetAsync(_client, "/api/v1/dms", ann.AccessToken);
        using var bobRooms = await AuthApi.GetAsync(_client, "/api/v1/rooms?mine=true", bob.AccessToken);
        Assert.Equal("Bob", (await RoomsApi.ReadAsync<TestPage<TestRoom>>(annDms, 200)).Items.Single().Name);
        Assert.DoesNotContain((await RoomsApi.ReadAsync<TestPage<TestRoom>>(bobRooms, 200)).Items, r => r.Id == first.Id);
    }

    [Fact]
    public async Task Concurrent_opens_for_one_pair_make_one_room()
    {
        var ann = await AuthApi.RegisterAsync(_client);
        var bob = await AuthApi.RegisterAsync(_client);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/dms", (i % 2 == 0 ? ann : bob).AccessToken, new { userId = (i % 2 == 0 ? bob : ann).User.Id }))));
        var rooms = new List<TestRoom>();
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.True((int)response.StatusCode is 200 or 201, await response.Content.ReadAsStringAsync());
                rooms.Add(await RoomsApi.ReadAsync<TestRoom>(response, (int)response.StatusCode));
            }
        }

        Assert.Single(rooms.Select(r => r.Id).Distinct());
        Assert.Equal(1, responses.Count(r => (int)r.StatusCode == 201));
    }

    [Fact]
    public async Task Messages_and_read_state_work_as_in_rooms()
    {
        var ann = await AuthApi.RegisterAsync(_client, displayName: "Ann");
        var bob = await AuthApi.RegisterAsync(_client);
        var dm = await RoomsApi.OpenDmAsync(_client, ann, bob.User.Id);

        await RoomsApi.PostAsync(_client, ann, dm.Id, "hi Bob");
        await RoomsApi.PostAsync(_client, ann, dm.Id, "are you there?");
        var page = await RoomsApi.MessagePageAsync(_client, bob, dm.Id);

        Assert.Equal(["are you there?", "hi Bob"], page.Items.Select(m => m.Body));
        Assert.All(page.Items, m => Assert.Equal(new TestUserSummary(ann.User.Id, "Ann"), m.Author));
        Assert.Equal(2, (await RoomsApi.GetAsync(_client, bob, dm.Id)).UnreadCount);
        Assert.Equal(0, (await RoomsApi.GetAsync(_client, ann, dm.Id)).UnreadCount);
    }

    public static TheoryData<string> StaffRoles => ["MODERATOR", "ADMIN"];

    /// <summary>The privacy matrix of a DM: it exists for its two people only; staff moderation does not reach it.</summary>
    [Theory]
    [MemberData(nameof(StaffRoles))]
    public async Task Nobody_else_can_see_touch_or_join_a_direct_message(string role)
    {
        var ann = await AuthApi.RegisterAsync(_client);
        var bob = await AuthApi.RegisterAsync(_client);
        var stranger = await AuthApi.RegisterAsync(_client);
        var staff = await Admins.CreateAsync(factory, _client, role);
        var dm = await RoomsApi.OpenDmAsync(_client, ann, bob.User.Id);
        var message = await RoomsApi.PostAsync(_client, ann, dm.Id, "just us");
        var room = $"/api/v1/rooms/{dm.Id}";

        foreach (var outsider in new[] { stranger, staff })
        {
            foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
            {
                (HttpMethod.Get, room, null),
                (HttpMethod.Get, room + "/messages", null),
                (HttpMethod.Get, room + "/members", null),
                (HttpMethod.Post, room + "/join", null),
                (HttpMethod.Post, room + "/messages", new { body = "hello?" }),
                (HttpMethod.Post, room + "/read", new { seq = 1 }),
                (HttpMethod.Patch, room, new { visibility = "public" }),
                (HttpMethod.Delete, room, null),
                (HttpMethod.Delete, $"{room}/messages/{message.Id}", null),
                (HttpMethod.Delete, $"{room}/members/{bob.User.Id}", null),
            })
            {
                using var response = await AuthApi.SendAsync(_client, method, path, outsider.AccessToken, body);
                await Problems.AssertProblemAsync(response, 404);
            }

            using var dms = await AuthApi.GetAsync(_client, "/api/v1/dms", outsider.AccessToken);
            Assert.Empty((await RoomsApi.ReadAsync<TestPage<TestRoom>>(dms, 200)).Items);
            using var rooms = await AuthApi.GetAsync(_client, "/api/v1/rooms", outsider.AccessToken);
            Assert.DoesNotContain((await RoomsApi.ReadAsync<TestPage<TestRoom>>(rooms, 200)).Items, r => r.Id == dm.Id);
        }

        // Its two people cannot turn it into something else either.
        using var rename = await AuthApi.SendAsync(_client, HttpMethod.Patch, room, ann.AccessToken, new { name = "club", visibility = "public" });
        using var invite = await AuthApi.SendAsync(_client, HttpMethod.Post, room + "/members", ann.AccessToken, new { userId = stranger.User.Id });
        using var leave = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"{room}/members/{bob.User.Id}", bob.AccessToken);
        using var delete = await AuthApi.SendAsync(_client, HttpMethod.Delete, room, ann.AccessToken);
        using var othersMessage = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"{room}/messages/{message.Id}", bob.AccessToken);
        await Problems.AssertProblemAsync(rename, 409);
        await Problems.AssertProblemAsync(invite, 409);
        await Problems.AssertProblemAsync(leave, 409);
        await Problems.AssertProblemAsync(delete, 403);
        await Problems.AssertProblemAsync(othersMessage, 403);
        Assert.Equal("just us", (await RoomsApi.MessagesAsync(_client, bob, dm.Id)).Single().Body);
    }

    [Fact]
    public async Task Opening_a_dm_with_oneself_nobody_or_a_missing_user_is_400()
    {
        var ann = await AuthApi.RegisterAsync(_client);
        foreach (var body in new object[] { new { userId = ann.User.Id }, new { userId = Guid.NewGuid() }, new { } })
        {
            using var response = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/dms", ann.AccessToken, body);
            var problem = await Problems.AssertProblemAsync(response, 400);
            Assert.True(problem.GetProperty("errors").TryGetProperty("userId", out _), problem.ToString());
        }
    }
}
