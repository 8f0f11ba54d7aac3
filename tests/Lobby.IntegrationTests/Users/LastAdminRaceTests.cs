using Lobby.IntegrationTests.Infrastructure;
using Npgsql;

namespace Lobby.IntegrationTests.Users;

/// <summary>
/// Two admins changing each other at the same instant: at least one active admin must remain.
/// Each case has a database of its own, because "last admin" counts every admin in it.
/// </summary>
public sealed class LastAdminRaceTests : IAsyncLifetime
{
    private const int Trials = 10;
    private readonly LobbyFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _client = _factory.CreateClient();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();

    [Theory]
    [InlineData("role")]
    [InlineData("disabled")]
    public async Task Two_admins_demoting_or_disabling_each_other_at_once_leave_one_active_admin(string change)
    {
        object body = change == "role" ? new { role = "USER" } : new { disabled = true };
        var survivor = await Admins.CreateAsync(_factory, _client);
        Assert.Equal(1, await ActiveAdminsAsync());
        for (var trial = 0; trial < Trials; trial++)
        {
            var other = await Admins.CreateAsync(_factory, _client);
            Assert.Equal(2, await ActiveAdminsAsync());

            // Both requests pass authorization with ADMIN tokens and reach the guard together.
            var first = Task.Run(() => AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/admin/users/{other.User.Id}", survivor.AccessToken, body));
            var second = Task.Run(() => AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/admin/users/{survivor.User.Id}", other.AccessToken, body));
            using var a = await first;
            using var b = await second;

            var statuses = new[] { (int)a.StatusCode, (int)b.StatusCode };
            Assert.Equal(1, statuses.Count(s => s == 200));
            Assert.All(statuses.Where(s => s != 200), s => Assert.Contains(s, new[] { 401, 403, 409 }));
            foreach (var loser in new[] { a, b }.Where(r => (int)r.StatusCode != 200))
            {
                await Problems.AssertProblemAsync(loser, (int)loser.StatusCode);
            }

            Assert.Equal(1, await ActiveAdminsAsync());
            survivor = (int)a.StatusCode == 200 ? survivor : await AuthApi.LoginAsync(_client, other.User.Email);
        }
    }

    private async Task<long> ActiveAdminsAsync()
    {
        await using var db = new NpgsqlConnection(_factory.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM users WHERE role = 'ADMIN' AND NOT disabled", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
