using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;
using static Lobby.IntegrationTests.Realtime.LiveEvents;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.IntegrationTests.Realtime;

/// <summary>One Lobby process on real Kestrel with a fast session sweep, on its own database.</summary>
public sealed class LiveLobby : IAsyncLifetime
{
    private string _database = "";

    internal LobbyProcess Lobby { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        Lobby = await LobbyProcess.StartAsync(_database, new Dictionary<string, string?> { ["REALTIME_SWEEP_SECONDS"] = "1" });
    }

    public async Task DisposeAsync()
    {
        await Lobby.DisposeAsync();
        await TestDatabase.DropAsync(_database);
    }
}

public sealed class RealtimeTests(LiveLobby live) : IClassFixture<LiveLobby>
{
    private HttpClient Http => live.Lobby.Http;

    [Fact]
    public async Task A_connection_without_a_valid_token_is_refused()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => LiveClient.ConnectAsync(live.Lobby.BaseUrl, null));
        await Assert.ThrowsAnyAsync<Exception>(() => LiveClient.ConnectAsync(live.Lobby.BaseUrl, "not.a.token"));
    }

    [Fact]
    public async Task Members_receive_messages_and_a_stranger_cannot_tell_a_private_room_exists()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var member = await AuthApi.RegisterAsync(Http);
        var stranger = await AuthApi.RegisterAsync(Http);
        var secret = await RoomsApi.CreateAsync(Http, owner, "private");
        var open = await RoomsApi.CreateAsync(Http, owner, "public");
        await RoomsApi.AddMemberAsync(Http, owner, secret.Id, member.User.Id);

        await using var ownerLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, owner.AccessToken);
        await using var memberLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, member.AccessToken);
        await using var strangerLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, stranger.AccessToken);
        await ownerLive.SubscribeAsync(secret.Id);
        await memberLive.SubscribeAsync(secret.Id);
        var hidden = await Assert.ThrowsAsync<HubException>(() => strangerLive.SubscribeAsync(secret.Id));
        var missing = await Assert.ThrowsAsync<HubException>(() => strangerLive.SubscribeAsync(Guid.NewGuid()));
        Assert.Equal(missing.Message, hidden.Message);
        await strangerLive.SubscribeAsync(open.Id);

        var posted = await RoomsApi.PostAsync(Http, owner, secret.Id, "for members only");
        await RoomsApi.PostAsync(Http, owner, open.Id, "for everyone");

        var seen = await memberLive.NextAsync(e => CreatedIn(e, secret.Id));
        Assert.Equal(posted.Id, seen.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Equal(1, Seq(seen));
        Assert.Equal("for members only", seen.GetProperty("data").GetProperty("body").GetString());
        await ownerLive.NextAsync(e => CreatedIn(e, secret.Id));
        // Events on one connection arrive in order: the stranger's first message is the public one.
        var first = await strangerLive.NextAsync("message.created");
        Assert.Equal(open.Id, first.GetProperty("roomId").GetGuid());
        Assert.DoesNotContain(strangerLive.Drain(), e => e.GetProperty("roomId").GetGuid() == secret.Id);
    }

    [Fact]
    public async Task Resuming_after_a_disconnect_sends_the_missed_messages_in_order_then_live_ones_once()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var reader = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, owner, "private");
        await RoomsApi.AddMemberAsync(Http, owner, room.Id, reader.User.Id);

        long lastSeen;
        await using (var before = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, reader.AccessToken))
        {
            await before.SubscribeAsync(room.Id);
            await RoomsApi.PostAsync(Http, owner, room.Id, "one");
            await RoomsApi.PostAsync(Http, owner, room.Id, "two");
            await before.NextAsync(e => CreatedIn(e, room.Id) && Seq(e) == 1);
            lastSeen = Seq(await before.NextAsync(e => CreatedIn(e, room.Id)));
        }

        for (var i = 3; i <= 5; i++)
        {
            await RoomsApi.PostAsync(Http, owner, room.Id, $"missed {i}");
        }

        await using var after = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, reader.AccessToken);
        await after.SubscribeAsync(room.Id, lastSeen);
        await RoomsApi.PostAsync(Http, owner, room.Id, "live 6");

        var seqs = new List<long>();
        while (seqs.Count == 0 || seqs[^1] < 6)
        {
            seqs.Add(Seq(await after.NextAsync(e => CreatedIn(e, room.Id))));
        }

        Assert.Equal([3L, 4, 5, 6], seqs);
        Assert.Equal(2, lastSeen);
    }

    [Fact]
    public async Task Subscribing_while_messages_pour_in_leaves_no_gap_and_no_duplicate_at_the_seam()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var reader = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, owner, "public");
        await RoomsApi.AddMemberAsync(Http, owner, room.Id, reader.User.Id);
        for (var i = 0; i < 20; i++)
        {
            await RoomsApi.PostAsync(Http, owner, room.Id, $"early {i}");
        }

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 80; i++)
            {
                await RoomsApi.PostAsync(Http, owner, room.Id, $"during {i}");
            }
        });
        await using var client = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, reader.AccessToken);
        await client.SubscribeAsync(room.Id, 5);
        await writer;

        var seqs = new List<long>();
        while (seqs.Count == 0 || seqs[^1] < 100)
        {
            seqs.Add(Seq(await client.NextAsync(e => CreatedIn(e, room.Id))));
        }

        Assert.Equal(Enumerable.Range(6, 95).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task A_removed_member_stops_receiving_the_room_at_once()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var member = await AuthApi.RegisterAsync(Http);
        var secret = await RoomsApi.CreateAsync(Http, owner, "private");
        var other = await RoomsApi.CreateAsync(Http, owner, "public");
        await RoomsApi.AddMemberAsync(Http, owner, secret.Id, member.User.Id);
        await using var client = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, member.AccessToken);
        await client.SubscribeAsync(secret.Id);
        await client.SubscribeAsync(other.Id);

        using var remove = await AuthApi.SendAsync(Http, HttpMethod.Delete, $"/api/v1/rooms/{secret.Id}/members/{member.User.Id}", owner.AccessToken);
        Assert.Equal(204, (int)remove.StatusCode);
        var left = await client.NextAsync("member.left");
        Assert.Equal(member.User.Id, left.GetProperty("data").GetProperty("userId").GetGuid());

        await RoomsApi.PostAsync(Http, owner, secret.Id, "after removal");
        await RoomsApi.PostAsync(Http, owner, other.Id, "elsewhere");
        var next = await client.NextAsync("message.created");
        Assert.Equal(other.Id, next.GetProperty("roomId").GetGuid());
        Assert.DoesNotContain(client.Drain(), e => CreatedIn(e, secret.Id));
    }

    [Fact]
    public async Task Logging_out_closes_the_live_connection()
    {
        var user = await AuthApi.RegisterAsync(Http);
        await using var client = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, user.AccessToken);

        using var logout = await AuthApi.SendAsync(Http, HttpMethod.Post, "/api/v1/auth/logout", user.AccessToken);
        Assert.Equal(204, (int)logout.StatusCode);

        var finished = await Task.WhenAny(client.Closed, Task.Delay(TimeSpan.FromSeconds(15)));
        Assert.Same(client.Closed, finished);
    }

    [Fact]
    public async Task An_expiring_token_closes_the_live_connection()
    {
        var user = await AuthApi.RegisterAsync(Http);
        // Long enough to outlast a connect on a loaded box: a token that expires mid-handshake is refused, not closed.
        var shortLived = Reissue(user.AccessToken, TimeSpan.FromSeconds(10));
        await using var client = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, shortLived);

        var finished = await Task.WhenAny(client.Closed, Task.Delay(TimeSpan.FromSeconds(40)));
        Assert.Same(client.Closed, finished);
    }

    [Fact]
    public async Task Presence_and_typing_reach_the_others_in_the_room()
    {
        var owner = await AuthApi.RegisterAsync(Http);
        var guest = await AuthApi.RegisterAsync(Http);
        var room = await RoomsApi.CreateAsync(Http, owner, "public");
        await RoomsApi.AddMemberAsync(Http, owner, room.Id, guest.User.Id);
        await using var ownerLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, owner.AccessToken);
        await using var guestLive = await LiveClient.ConnectAsync(live.Lobby.BaseUrl, guest.AccessToken);
        await ownerLive.SubscribeAsync(room.Id);
        await guestLive.SubscribeAsync(room.Id);

        var presence = await ownerLive.NextAsync(e => e.GetProperty("type").GetString() == "presence"
            && e.GetProperty("data").GetProperty("userIds").GetArrayLength() == 2);
        Assert.Contains(guest.User.Id, presence.GetProperty("data").GetProperty("userIds").EnumerateArray().Select(x => x.GetGuid()));

        await guestLive.TypingAsync(room.Id);
        var typing = await ownerLive.NextAsync("typing");
        Assert.Equal(guest.User.Id, typing.GetProperty("data").GetProperty("userId").GetGuid());

        await guestLive.Connection.StopAsync();
        var after = await ownerLive.NextAsync(e => e.GetProperty("type").GetString() == "presence"
            && e.GetProperty("data").GetProperty("userIds").GetArrayLength() == 1);
        Assert.Equal(owner.User.Id, after.GetProperty("data").GetProperty("userIds")[0].GetGuid());
    }

    // The same claims, signed with Lobby's key, expiring soon.
    private static string Reissue(string token, TimeSpan lifetime)
    {
        var jwt = new JsonWebToken(token);
        var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(TestKeys.PrivateKeyFile));
        var key = new RsaSecurityKey(rsa) { KeyId = jwt.Kid };
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audiences.Single(),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = jwt.Subject,
                ["sid"] = jwt.GetClaim("sid").Value,
                ["role"] = jwt.GetClaim("role").Value,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
