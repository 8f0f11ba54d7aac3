using System.Text;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Rooms;

public sealed class MessageTests(RoomsFactory factory) : IClassFixture<RoomsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Listing_is_newest_first_by_default_before_pages_back_and_after_reads_forward()
    {
        var (owner, room) = await RoomWithMessagesAsync(12);

        var latest = await RoomsApi.MessagesAsync(_client, owner, room.Id, "?limit=5");
        var older = await RoomsApi.MessagesAsync(_client, owner, room.Id, "?before=8&limit=5");
        var newer = await RoomsApi.MessagesAsync(_client, owner, room.Id, "?after=9");
        var all = await RoomsApi.MessagesAsync(_client, owner, room.Id);

        Assert.Equal([12L, 11, 10, 9, 8], latest.Select(m => m.Seq));
        Assert.Equal([7L, 6, 5, 4, 3], older.Select(m => m.Seq));
        Assert.Equal([10L, 11, 12], newer.Select(m => m.Seq));
        Assert.Equal(12, all.Count);
        Assert.Empty(await RoomsApi.MessagesAsync(_client, owner, room.Id, "?after=12"));
        Assert.Empty(await RoomsApi.MessagesAsync(_client, owner, room.Id, "?before=1"));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=-1", "limit")]
    [InlineData("?limit=many", "limit")]
    [InlineData("?after=-5", "after")]
    [InlineData("?after=abc", "after")]
    [InlineData("?before=99999999999999999999999", "before")]
    [InlineData("?before=3&after=1", "after")]
    public async Task Bad_listing_values_are_400_naming_them(string query, string field)
    {
        var (owner, room) = await RoomWithMessagesAsync(1);
        using var response = await AuthApi.GetAsync(_client, $"/api/v1/rooms/{room.Id}/messages{query}", owner.AccessToken);

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("nul\u0000inside")]
    [InlineData(null)]
    public async Task Empty_or_malformed_bodies_are_400(string? body)
    {
        var (owner, room) = await RoomWithMessagesAsync(0);
        using var response = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/messages", owner.AccessToken, new { body });

        var problem = await Problems.AssertProblemAsync(response, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
        Assert.Empty(await RoomsApi.MessagesAsync(_client, owner, room.Id));
    }

    [Fact]
    public async Task Bodies_count_characters_up_to_4000()
    {
        var (owner, room) = await RoomWithMessagesAsync(0);
        var ok = await RoomsApi.PostAsync(_client, owner, room.Id, string.Concat(Enumerable.Repeat("🚀", 4000)));
        using var tooLong = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/messages", owner.AccessToken, new { body = new string('x', 4001) });

        Assert.Equal(1, ok.Seq);
        await Problems.AssertProblemAsync(tooLong, 400);
    }

    [Fact]
    public async Task A_lone_surrogate_is_400_not_500()
    {
        var (owner, room) = await RoomWithMessagesAsync(0);
        using var content = new StringContent("{\"body\": \"bad \\ud800 text\"}", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/rooms/{room.Id}/messages") { Content = content };
        request.Headers.Authorization = new("Bearer", owner.AccessToken);
        using var response = await _client.SendAsync(request);

        await Problems.AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task Editing_sets_edited_at_and_deleting_leaves_a_tombstone_that_keeps_its_seq()
    {
        var (owner, room) = await RoomWithMessagesAsync(3);
        var second = (await RoomsApi.MessagesAsync(_client, owner, room.Id, "?after=1&limit=1"))[0];

        using var edit = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}/messages/{second.Id}", owner.AccessToken, new { body = "edited text" });
        var edited = await RoomsApi.ReadAsync<TestMessage>(edit, 200);
        using var delete = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/messages/{second.Id}", owner.AccessToken);
        using var deleteAgain = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/messages/{second.Id}", owner.AccessToken);
        using var editDeleted = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}/messages/{second.Id}", owner.AccessToken, new { body = "again" });
        var all = await RoomsApi.MessagesAsync(_client, owner, room.Id, "?after=0");

        Assert.Equal("edited text", edited.Body);
        Assert.NotNull(edited.EditedAt);
        Assert.Equal(204, (int)delete.StatusCode);
        Assert.Equal(204, (int)deleteAgain.StatusCode);
        await Problems.AssertProblemAsync(editDeleted, 409);
        Assert.Equal([1L, 2, 3], all.Select(m => m.Seq));
        var tombstone = all[1];
        Assert.Null(tombstone.Body);
        Assert.NotNull(tombstone.DeletedAt);
    }

    [Fact]
    public async Task Unknown_message_is_404_and_malformed_ids_are_400()
    {
        var (owner, room) = await RoomWithMessagesAsync(1);

        using var missing = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/messages/{Guid.NewGuid()}", owner.AccessToken);
        using var badMessage = await AuthApi.SendAsync(_client, HttpMethod.Delete, $"/api/v1/rooms/{room.Id}/messages/xyz", owner.AccessToken);
        using var badRoom = await AuthApi.GetAsync(_client, "/api/v1/rooms/not-a-room/messages", owner.AccessToken);
        using var missingRoom = await AuthApi.GetAsync(_client, $"/api/v1/rooms/{Guid.NewGuid()}/messages", owner.AccessToken);

        await Problems.AssertProblemAsync(missing, 404);
        await Problems.AssertProblemAsync(badMessage, 400);
        await Problems.AssertProblemAsync(badRoom, 400);
        await Problems.AssertProblemAsync(missingRoom, 404);
    }

    private async Task<(TestAuth Owner, TestRoom Room)> RoomWithMessagesAsync(int count)
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner);
        for (var i = 1; i <= count; i++)
        {
            await RoomsApi.PostAsync(_client, owner, room.Id, $"message {i}");
        }

        return (owner, room);
    }
}
