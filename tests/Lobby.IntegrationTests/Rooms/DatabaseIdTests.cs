using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Rooms;

/// <summary>
/// Rooms (listed newest first by id) get their UUIDv7 from the database's clock, not the
/// replica's: every replica then agrees on creation order, however their clocks drift.
/// </summary>
public sealed class DatabaseIdTests(RoomsFactory factory) : IClassFixture<RoomsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Room_ids_are_uuid_v7_stamped_with_the_database_clock_and_list_in_creation_order()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var rooms = new List<TestRoom>();
        for (var i = 0; i < 5; i++)
        {
            rooms.Add(await RoomsApi.CreateAsync(_client, owner, name: $"Ordered {i} {Guid.NewGuid():N}"[..20]));
        }

        foreach (var room in rooms)
        {
            var bytes = room.Id.ToByteArray(bigEndian: true);
            Assert.Equal(7, bytes[6] >> 4); // version
            Assert.Equal(2, bytes[8] >> 6); // RFC 9562 variant
            var stamped = DateTimeOffset.FromUnixTimeMilliseconds(((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24)
                | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5]);
            // created_at is the database's now() (transaction start), the id its clock a moment later, in whole milliseconds.
            Assert.InRange(stamped - new DateTimeOffset(room.CreatedAt, TimeSpan.Zero), TimeSpan.FromMilliseconds(-1), TimeSpan.FromSeconds(2));
        }

        using var list = await AuthApi.GetAsync(_client, "/api/v1/rooms?mine=true", owner.AccessToken);
        var page = await RoomsApi.ReadAsync<TestPageOfRooms>(list, 200);
        Assert.Equal(rooms.Select(r => r.Id).Reverse(), page.Items.Select(r => r.Id));
    }
}
