using System.Collections.Concurrent;
using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;
using Npgsql;

namespace Lobby.IntegrationTests.Reliability;

public sealed class CrashSafetyTests
{
    [Fact]
    public async Task After_a_kill_9_during_writes_every_acknowledged_message_exists_once_and_retries_do_not_duplicate()
    {
        var database = await TestDatabase.CreateMigratedAsync();
        try
        {
            var first = await LobbyProcess.StartAsync(database);
            var user = await AuthApi.RegisterAsync(first.Http);
            var room = await RoomsApi.CreateAsync(first.Http, user);

            var acknowledged = new ConcurrentDictionary<string, Guid>();
            var keys = Enumerable.Range(0, 600).Select(i => $"crash-{i}").ToList();
            var queue = new ConcurrentQueue<string>(keys);
            var writers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = new Uri(first.BaseUrl) };
                while (queue.TryDequeue(out var key))
                {
                    try
                    {
                        using var response = await PostAsync(http, user, room.Id, key);
                        if ((int)response.StatusCode == 201)
                        {
                            acknowledged[key] = (await response.Content.ReadFromJsonAsync<TestMessage>(AuthApi.Json))!.Id;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process died under us
                    }
                }
            })).ToList();

            while (acknowledged.Count < 100)
            {
                await Task.Delay(10);
            }

            await first.CrashAsync();
            await Task.WhenAll(writers);
            await first.DisposeAsync();

            // Restart on the same database and retry every key, acknowledged or not, as a client would.
            await using var second = await LobbyProcess.StartAsync(database);
            foreach (var key in keys)
            {
                using var retry = await PostAsync(second.Http, user, room.Id, key);
                var message = await retry.Content.ReadFromJsonAsync<TestMessage>(AuthApi.Json);
                Assert.True((int)retry.StatusCode is 200 or 201, $"{key}: {(int)retry.StatusCode}");
                if (acknowledged.TryGetValue(key, out var id))
                {
                    Assert.Equal(200, (int)retry.StatusCode);
                    Assert.Equal(id, message!.Id);
                }
            }

            await using var db = new NpgsqlConnection(database);
            await db.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT idempotency_key), max(seq) FROM messages WHERE room_id = @room", db);
            count.Parameters.AddWithValue("room", room.Id);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(keys.Count, reader.GetInt64(0));
            Assert.Equal(keys.Count, reader.GetInt64(1));
            Assert.Equal(keys.Count, reader.GetInt64(2)); // seqs 1..N, no gap left by the crash
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, TestAuth user, Guid roomId, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/rooms/{roomId}/messages") { Content = JsonContent.Create(new { body = "message " + key }) };
        request.Headers.Authorization = new("Bearer", user.AccessToken);
        request.Headers.Add("Idempotency-Key", key);
        return await http.SendAsync(request);
    }
}
