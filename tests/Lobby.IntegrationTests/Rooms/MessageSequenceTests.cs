using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Rooms;

public sealed class MessageSequenceTests(RoomsFactory factory) : IClassFixture<RoomsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Eight_concurrent_writers_of_200_messages_get_seqs_exactly_1_to_1600()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner);
        var writers = new List<TestAuth>();
        for (var i = 0; i < 8; i++)
        {
            var writer = await AuthApi.RegisterAsync(_client);
            await RoomsApi.AddMemberAsync(_client, owner, room.Id, writer.User.Id);
            writers.Add(writer);
        }

        var seqs = await Task.WhenAll(writers.Select(async (writer, w) =>
        {
            var mine = new List<long>();
            for (var i = 0; i < 200; i++)
            {
                mine.Add((await RoomsApi.PostAsync(_client, writer, room.Id, $"w{w} m{i}")).Seq);
            }

            return mine;
        }));

        Assert.Equal(Enumerable.Range(1, 1600).Select(i => (long)i), seqs.SelectMany(s => s).Order());
        Assert.All(seqs, s => Assert.Equal(s.Order(), s));

        // Reading everything after 0 in pages of 100 gives the same 1600, in order, once each.
        var read = new List<long>();
        long after = 0;
        for (var page = 0; page < 20; page++)
        {
            var batch = await RoomsApi.MessagesAsync(_client, owner, room.Id, $"?after={after}&limit=100");
            if (batch.Count == 0)
            {
                break;
            }

            read.AddRange(batch.Select(m => m.Seq));
            after = batch[^1].Seq;
        }

        Assert.Equal(Enumerable.Range(1, 1600).Select(i => (long)i), read);
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_original_and_uses_no_seq()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner);

        using var first = await PostWithKeyAsync(owner, room.Id, "key-1", "hello");
        using var retry = await PostWithKeyAsync(owner, room.Id, "key-1", "hello (retry)");
        var original = await RoomsApi.ReadAsync<TestMessage>(first, 201);
        var replayed = await RoomsApi.ReadAsync<TestMessage>(retry, 200);

        Assert.Equal(original, replayed);
        Assert.Equal("hello", replayed.Body);
        Assert.Equal(2, (await RoomsApi.PostAsync(_client, owner, room.Id, "next")).Seq);
    }

    [Fact]
    public async Task Two_concurrent_posts_with_one_key_make_one_message()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner);

        for (var round = 0; round < 10; round++)
        {
            var key = $"race-{round}";
            var responses = await Task.WhenAll(PostWithKeyAsync(owner, room.Id, key, "once"), PostWithKeyAsync(owner, room.Id, key, "once"));
            var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<TestMessage>(AuthApi.Json)));

            Assert.Equal([200, 201], responses.Select(r => (int)r.StatusCode).Order());
            Assert.Equal(bodies[0]!.Id, bodies[1]!.Id);
            Assert.Equal(round + 1, bodies[0]!.Seq);
            foreach (var r in responses)
            {
                r.Dispose();
            }
        }

        var all = await RoomsApi.MessagesAsync(_client, owner, room.Id, "?after=0");
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), all.Select(m => m.Seq));
    }

    [Fact]
    public async Task The_same_key_from_another_user_is_a_different_message()
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var other = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner);
        await RoomsApi.AddMemberAsync(_client, owner, room.Id, other.User.Id);

        using var a = await PostWithKeyAsync(owner, room.Id, "shared-key", "from owner");
        using var b = await PostWithKeyAsync(other, room.Id, "shared-key", "from other");

        Assert.Equal(201, (int)a.StatusCode);
        Assert.Equal(201, (int)b.StatusCode);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk")]
    [InlineData("ünïcode")]
    public async Task A_malformed_idempotency_key_is_400(string key)
    {
        var owner = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, owner);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/rooms/{room.Id}/messages") { Content = JsonContent.Create(new { body = "x" }) };
        request.Headers.Authorization = new("Bearer", owner.AccessToken);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await _client.SendAsync(request);

        await Problems.AssertProblemAsync(response, 400);
        Assert.Empty(await RoomsApi.MessagesAsync(_client, owner, room.Id));
    }

    private async Task<HttpResponseMessage> PostWithKeyAsync(TestAuth author, Guid roomId, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/rooms/{roomId}/messages") { Content = JsonContent.Create(new { body }) };
        request.Headers.Authorization = new("Bearer", author.AccessToken);
        request.Headers.Add("Idempotency-Key", key);
        return await _client.SendAsync(request);
    }
}
