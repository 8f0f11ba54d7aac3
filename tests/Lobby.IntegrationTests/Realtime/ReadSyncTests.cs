using Lobby.IntegrationTests.Infrastructure;
using static Lobby.IntegrationTests.Realtime.LiveEvents;

namespace Lobby.IntegrationTests.Realtime;

public sealed class ReadSyncTests(LiveLobby live) : IClassFixture<LiveLobby>
{
    private HttpClient Http => live.Lobby.Http;

    [Fact]
    public async Task Reading_on_one_device_tells_my_other_devices_and_nobody_else()
    {
        var author = await AuthApi.RegisterAsync(Http, displayName: "Author");
        var reader = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, author);
        await RoomsApi.AddMemberAsync(Http, author, room.Id, reader.User.Id);
        await using var phone = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, reader.AccessToken); // follows no room
        await using var laptop = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, reader.AccessToken);
        await using var other = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, author.AccessToken);
        await laptop.SubscribeAsync(room.Id);
        await other.SubscribeAsync(room.Id);

        await RoomsApi.PostAsync(Http, author, room.Id, "one");
        await RoomsApi.PostAsync(Http, author, room.Id, "two");
        var created = await laptop.NextAsync(e => CreatedIn(e, room.Id) && Seq(e) == 2);
        using var read = await RoomsApi.MarkReadAsync(Http, reader, room.Id, 2);
        Assert.Equal(200, (int)read.StatusCode);

        foreach (var device in new[] { phone, laptop })
        {
            var e = await device.NextAsync("read.updated");
            Assert.Equal(room.Id, e.GetProperty("roomId").GetGuid());
            Assert.Equal(2, e.GetProperty("data").GetProperty("lastReadSeq").GetInt64());
            Assert.Equal(0, e.GetProperty("data").GetProperty("unreadCount").GetInt64());
        }

        // Authors come inline on live messages too.
        Assert.Equal("Author", created.GetProperty("data").GetProperty("author").GetProperty("displayName").GetString());

        // The author's connection saw the room's events but not the reader's read: a later message
        // arrives with no read.updated before it.
        await RoomsApi.PostAsync(Http, author, room.Id, "three");
        var seen = await UntilAsync(other, e => CreatedIn(e, room.Id) && Seq(e) == 3);
        Assert.DoesNotContain(seen, e => Type(e) == "read.updated");
    }
}
