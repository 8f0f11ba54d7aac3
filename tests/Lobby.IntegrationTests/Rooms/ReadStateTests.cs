using Lobby.Api.Data;
using Lobby.Api.Data.Rooms;
using Lobby.IntegrationTests.Infrastructure;
using Npgsql;

namespace Lobby.IntegrationTests.Rooms;

public sealed class ReadStateTests(RoomsFactory factory) : IClassFixture<RoomsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Unread_after_N_posts_by_others_is_N_and_reading_clears_it()
    {
        var (owner, reader, room) = await RoomWithReaderAsync();
        for (var i = 0; i < 5; i++)
        {
            await RoomsApi.PostAsync(_client, owner, room.Id, "m" + i);
        }

        var before = await RoomsApi.GetAsync(_client, reader, room.Id);
        using var read = await RoomsApi.MarkReadAsync(_client, reader, room.Id, 3);
        var state = await RoomsApi.ReadAsync<TestReadState>(read, 200);
        var after = await RoomsApi.GetAsync(_client, reader, room.Id);
        var listed = (await ListMineAsync(reader)).Single(r => r.Id == room.Id);

        Assert.Equal((5L, 0L), (before.UnreadCount, before.LastReadSeq));
        Assert.Equal(new TestReadState(room.Id, 3, 2), state);
        Assert.Equal((2L, 3L), (after.UnreadCount, after.LastReadSeq));
        Assert.Equal((2L, 3L), (listed.UnreadCount, listed.LastReadSeq));
    }

    [Fact]
    public async Task The_read_position_never_moves_back_nor_past_the_last_message()
    {
        var (owner, reader, room) = await RoomWithReaderAsync();
        for (var i = 0; i < 4; i++)
        {
            await RoomsApi.PostAsync(_client, owner, room.Id);
        }

        using var forward = await RoomsApi.MarkReadAsync(_client, reader, room.Id, 3);
        using var back = await RoomsApi.MarkReadAsync(_client, reader, room.Id, 1);
        using var beyond = await RoomsApi.MarkReadAsync(_client, reader, room.Id, 1_000_000);

        Assert.Equal(3, (await RoomsApi.ReadAsync<TestReadState>(forward, 200)).LastReadSeq);
        Assert.Equal(new TestReadState(room.Id, 3, 1), await RoomsApi.ReadAsync<TestReadState>(back, 200));
        Assert.Equal(new TestReadState(room.Id, 4, 0), await RoomsApi.ReadAsync<TestReadState>(beyond, 200));

        // A message after the capped read is unread again: the position did not run ahead of the room.
        await RoomsApi.PostAsync(_client, owner, room.Id);
        Assert.Equal(1, (await RoomsApi.GetAsync(_client, reader, room.Id)).UnreadCount);
    }

    [Fact]
    public async Task Posting_marks_the_room_read_for_its_author()
    {
        var (owner, reader, room) = await RoomWithReaderAsync();
        await RoomsApi.PostAsync(_client, owner, room.Id);
        await RoomsApi.PostAsync(_client, reader, room.Id, "my reply");

        var mine = await RoomsApi.GetAsync(_client, reader, room.Id);
        var theirs = await RoomsApi.GetAsync(_client, owner, room.Id);

        Assert.Equal((0L, 2L), (mine.UnreadCount, mine.LastReadSeq));
        Assert.Equal((1L, 1L), (theirs.UnreadCount, theirs.LastReadSeq));
    }

    [Fact]
    public async Task Bad_reads_are_4xx_problems()
    {
        var (owner, _, room) = await RoomWithReaderAsync();
        var stranger = await AuthApi.RegisterAsync(_client);
        var secret = await RoomsApi.CreateAsync(_client, owner, "private");

        using var negative = await RoomsApi.MarkReadAsync(_client, owner, room.Id, -1);
        using var missingSeq = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/read", owner.AccessToken, new { });
        using var notMember = await RoomsApi.MarkReadAsync(_client, stranger, room.Id, 1);
        using var hidden = await RoomsApi.MarkReadAsync(_client, stranger, secret.Id, 1);
        using var missing = await RoomsApi.MarkReadAsync(_client, owner, Guid.NewGuid(), 1);

        Assert.True((await Problems.AssertProblemAsync(negative, 400)).GetProperty("errors").TryGetProperty("seq", out _));
        Assert.True((await Problems.AssertProblemAsync(missingSeq, 400)).GetProperty("errors").TryGetProperty("seq", out _));
        await Problems.AssertProblemAsync(notMember, 403);
        await Problems.AssertProblemAsync(hidden, 404);
        await Problems.AssertProblemAsync(missing, 404);
        var outsider = await RoomsApi.GetAsync(_client, stranger, room.Id);
        Assert.Equal((0L, 0L), (outsider.UnreadCount, outsider.LastReadSeq));
    }

    /// <summary>
    /// Unread costs the same in a room of 100,000 messages as in an empty one: the room list and
    /// the room read two numbers (rooms.last_seq, room_members.last_read_seq) and never touch messages.
    /// </summary>
    [Fact]
    public async Task Unread_of_a_room_with_100000_messages_is_derived_from_seqs_without_reading_messages()
    {
        const int Size = 100_000;
        var (owner, reader, room) = await RoomWithReaderAsync();
        await using (var db = new NpgsqlConnection(factory.ConnectionString))
        {
            await db.OpenAsync();
            var fill = Sql.Command(db, null, """
                INSERT INTO messages (id, room_id, seq, author_id, body)
                SELECT gen_random_uuid(), @roomId, n, @authorId, 'm' || n FROM generate_series(1, @size) AS n;
                UPDATE rooms SET last_seq = @size WHERE id = @roomId;
                """).With("roomId", room.Id).With("authorId", owner.User.Id).With("size", Size);
            fill.CommandTimeout = 120;
            await fill.ExecuteAsync(CancellationToken.None);
            var analyze = Sql.Command(db, null, "ANALYZE messages; ANALYZE rooms; ANALYZE room_members;");
            analyze.CommandTimeout = 120;
            await analyze.ExecuteAsync(CancellationToken.None);

            foreach (var (name, explain) in new (string, NpgsqlCommand)[]
            {
                ("room", Sql.Command(db, null, "EXPLAIN " + RoomQueries.SelectForUser).With("roomId", room.Id).With("userId", reader.User.Id)),
                ("room list", Sql.Command(db, null, "EXPLAIN " + RoomQueries.List).With("userId", reader.User.Id).With("mine", true)
                    .With("after", (Guid?)null).With("take", 51).With("prefix", "%")),
            })
            {
                var plan = string.Join('\n', await explain.ListAsync(r => r.GetString(0), CancellationToken.None));
                Assert.DoesNotContain("Seq Scan on messages", plan, StringComparison.Ordinal);
                Assert.DoesNotContain("messages", plan, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(plan), name);
            }
        }

        using var read = await RoomsApi.MarkReadAsync(_client, reader, room.Id, Size - 7);
        var listed = (await ListMineAsync(reader)).Single(r => r.Id == room.Id);
        var fresh = (await ListMineAsync(await JoinAsync(room))).Single(r => r.Id == room.Id);

        Assert.Equal(7, (await RoomsApi.ReadAsync<TestReadState>(read, 200)).UnreadCount);
        Assert.Equal((7L, Size - 7L, (long)Size), (listed.UnreadCount, listed.LastReadSeq, listed.LastSeq));
        Assert.Equal((0L, (long)Size), (fresh.UnreadCount, fresh.LastReadSeq)); // a newcomer starts read up to now
    }

    private async Task<(TestAuth Owner, TestAuth Reader, TestRoom Room)> RoomWithReaderAsync()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner);
        return (owner, await JoinAsync(room), room);
    }

    private async Task<TestAuth> JoinAsync(TestRoom room)
    {
        var reader = await AuthApi.RegisterAsync(_client);
        using var join = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/join", reader.AccessToken);
        Assert.Equal(201, (int)join.StatusCode);
        return reader;
    }

    private async Task<List<TestRoom>> ListMineAsync(TestAuth user)
    {
        using var response = await AuthApi.GetAsync(_client, "/api/v1/rooms?mine=true", user.AccessToken);
        return (await RoomsApi.ReadAsync<TestPage<TestRoom>>(response, 200)).Items;
    }
}

public sealed record TestReadState(Guid RoomId, long LastReadSeq, long UnreadCount);
