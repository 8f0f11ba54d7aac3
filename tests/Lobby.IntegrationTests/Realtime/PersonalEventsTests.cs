using System.Net;
using Lobby.IntegrationTests.Infrastructure;
using static Lobby.IntegrationTests.Realtime.LiveEvents;

namespace Lobby.IntegrationTests.Realtime;

/// <summary>Events about rooms a user does not follow yet: a new DM, being added to a room. Only that user hears them.</summary>
public sealed class PersonalEventsTests(LiveLobby live) : IClassFixture<LiveLobby>
{
    private HttpClient Http => live.Lobby.Http;

    [Fact]
    public async Task A_new_dm_and_being_added_to_a_room_reach_only_that_user_live()
    {
        var owner = await AuthApi.RegisterAsync(Http, displayName: "Owner");
        var invitee = await AuthApi.RegisterAsync(Http, displayName: "Invitee");
        var bystander = await AuthApi.RegisterAsync(Http, displayName: "Bystander");
        await using var inviteeLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, invitee.AccessToken); // follows no room
        await using var bystanderLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, bystander.AccessToken);
        var room = await RoomsApi.CreateAsync(Http, owner, "private");

        await RoomsApi.AddMemberAsync(Http, owner, room.Id, invitee.User.Id);
        var added = await inviteeLive.NextAsync("room.added");
        Assert.Equal(room.Id, added.GetProperty("roomId").GetGuid());
        Assert.Equal(room.Id, added.GetProperty("data").GetProperty("roomId").GetGuid());

        var dm = await RoomsApi.OpenDmAsync(Http, owner, invitee.User.Id);
        var created = await inviteeLive.NextAsync("dm.created");
        Assert.Equal(dm.Id, created.GetProperty("roomId").GetGuid());

        // Adding again changes nothing and says nothing; the bystander heard none of it.
        await RoomsApi.AddMemberAsync(Http, owner, room.Id, invitee.User.Id);
        var probe = await RoomsApi.CreateAsync(Http, bystander, "private");
        await RoomsApi.AddMemberAsync(Http, bystander, probe.Id, invitee.User.Id);
        var seen = await UntilAsync(inviteeLive, e => Type(e) == "room.added" && e.GetProperty("roomId").GetGuid() == probe.Id);
        Assert.DoesNotContain(seen, e => Type(e) == "room.added" && e.GetProperty("roomId").GetGuid() == room.Id);
        // The bystander's first personal event is its own invitation: nothing of the others' came before it.
        await RoomsApi.AddMemberAsync(Http, owner, room.Id, bystander.User.Id);
        var bystanderSaw = await UntilAsync(bystanderLive, e => Type(e) == "room.added");
        Assert.Equal(room.Id, bystanderSaw[^1].GetProperty("roomId").GetGuid());
        Assert.DoesNotContain(bystanderSaw[..^1], e => Type(e) is "room.added" or "dm.created");
    }

    [Fact]
    public async Task A_display_name_change_reaches_every_room_the_user_is_in_and_no_other()
    {
        var renamer = await AuthApi.RegisterAsync(Http, displayName: "Before Name");
        var friend = await AuthApi.RegisterAsync(Http, displayName: "Friend");
        var stranger = await AuthApi.RegisterAsync(Http, displayName: "Stranger");
        var shared = await RoomsApi.CreateAsync(Http, friend, "private");
        await RoomsApi.AddMemberAsync(Http, friend, shared.Id, renamer.User.Id);
        var dm = await RoomsApi.OpenDmAsync(Http, renamer, friend.User.Id);
        var elsewhere = await RoomsApi.CreateAsync(Http, stranger, "public");
        await using var friendLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, friend.AccessToken);
        await friendLive.SubscribeAsync(shared.Id);
        await friendLive.SubscribeAsync(dm.Id);
        await using var strangerLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, stranger.AccessToken);
        await strangerLive.SubscribeAsync(elsewhere.Id);

        using var renamed = await AuthApi.SendAsync(Http, HttpMethod.Patch, "/api/v1/users/me", renamer.AccessToken, new { displayName = "After Name" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);

        foreach (var roomId in new[] { shared.Id, dm.Id })
        {
            var e = await friendLive.NextAsync(e => Type(e) == "member.updated" && e.GetProperty("roomId").GetGuid() == roomId);
            var data = e.GetProperty("data");
            Assert.Equal(renamer.User.Id, data.GetProperty("userId").GetGuid());
            Assert.Equal("After Name", data.GetProperty("displayName").GetString());
            Assert.Equal("member", data.GetProperty("role").GetString());
        }

        // The stranger shares no room with the renamer: a message posted after the rename is the
        // first thing it hears, with nothing about the renamer before it.
        await RoomsApi.PostAsync(Http, stranger, elsewhere.Id, "after the rename");
        var strangerSaw = await UntilAsync(strangerLive, e => CreatedIn(e, elsewhere.Id));
        Assert.DoesNotContain(strangerSaw, e => Type(e) == "member.updated");
    }
}
