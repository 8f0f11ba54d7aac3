using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Realtime;

/// <summary>Two Lobby processes sharing events through the SignalR Redis backplane.</summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private string _database = "";
    private LobbyProcess _a = null!;
    private LobbyProcess _b = null!;

    public async Task InitializeAsync()
    {
        var redis = Environment.GetEnvironmentVariable("LOBBY_TEST_REDIS_URL");
        if (string.IsNullOrEmpty(redis))
        {
            throw new InvalidOperationException("LOBBY_TEST_REDIS_URL is not set: run the tests with scripts/test.sh, which starts Redis");
        }

        _database = await TestDatabase.CreateMigratedAsync();
        var settings = new Dictionary<string, string?> { ["REDIS_URL"] = redis };
        _a = await LobbyProcess.StartAsync(_database, settings);
        _b = await LobbyProcess.StartAsync(_database, settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await TestDatabase.DropAsync(_database);
    }

    [Fact]
    public async Task A_message_posted_through_one_instance_reaches_a_subscriber_of_the_other()
    {
        var owner = await AuthApi.RegisterAsync(_a.Http);
        var room = await RoomsApi.CreateAsync(_a.Http, owner, "public");
        await using var onB = await LiveClient.ConnectAsync(_b.BaseUrl, owner.AccessToken);
        await onB.SubscribeAsync(room.Id);

        var posted = await RoomsApi.PostAsync(_a.Http, owner, room.Id, "across instances");

        var received = await onB.NextAsync("message.created");
        Assert.Equal(posted.Id, received.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Equal("across instances", received.GetProperty("data").GetProperty("body").GetString());
    }
}
