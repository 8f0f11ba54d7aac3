using System.Collections.Concurrent;
using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Reliability;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_during_load_finishes_every_accepted_request_and_exits_0()
    {
        var database = await TestDatabase.CreateMigratedAsync();
        try
        {
            var lobby = await LobbyProcess.StartAsync(database);
            await using var _ = lobby;
            var user = await AuthApi.RegisterAsync(lobby.Http);
            var room = await RoomsApi.CreateAsync(lobby.Http, user);

            // Logins queue behind the hashing gate, so many are in flight when the signal lands.
            // On loopback a request sent 100 ms before the signal has surely been accepted: it must
            // get its answer. Later ones may be refused; none may get a server error.
            long signalAt = long.MaxValue;
            var failures = new ConcurrentBag<string>();
            var answered = 0;
            var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = new Uri(lobby.BaseUrl) };
                for (var i = 0; i < 400; i++)
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = w % 2 == 0
                            ? await http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.User.Email, password = AuthApi.Password })
                            : await AuthApi.GetAsync(http, $"/api/v1/rooms/{room.Id}/messages", user.AccessToken);
                        Interlocked.Increment(ref answered);
                        if (!response.IsSuccessStatusCode)
                        {
                            failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        // Refused or reset: fine for a request sent after the signal, a loss before it.
                        if (System.Diagnostics.Stopwatch.GetElapsedTime(started, Volatile.Read(ref signalAt)) > TimeSpan.FromMilliseconds(100))
                        {
                            failures.Add("connection error on a request sent before the signal: " + ex.Message);
                        }

                        return;
                    }
                }
            })).ToList();

            while (Volatile.Read(ref answered) < 40)
            {
                await Task.Delay(20);
            }

            Volatile.Write(ref signalAt, System.Diagnostics.Stopwatch.GetTimestamp());
            var exitCode = await lobby.TerminateAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(workers);

            Assert.Equal(0, exitCode);
            Assert.Empty(failures);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }
}
