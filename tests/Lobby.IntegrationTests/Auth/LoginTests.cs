using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;
using Npgsql;

namespace Lobby.IntegrationTests.Auth;

public sealed class LoginTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Login_with_the_right_password_returns_tokens_for_a_new_session()
    {
        var registered = await AuthApi.RegisterAsync(_client);

        var login = await AuthApi.LoginAsync(_client, registered.User.Email.ToUpperInvariant());

        Assert.Equal(registered.User.Id, login.User.Id);
        Assert.NotEqual(registered.RefreshToken, login.RefreshToken);
        using var sessions = await AuthApi.GetAsync(_client, "/api/v1/auth/sessions", login.AccessToken);
        Assert.Equal(2, JsonDocument.Parse(await sessions.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Unknown_email_and_wrong_password_get_the_same_401()
    {
        var registered = await AuthApi.RegisterAsync(_client);

        using var wrongPassword = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = registered.User.Email, password = "not the password at all" });
        using var unknownEmail = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = AuthApi.NewEmail(), password = "not the password at all" });

        var a = await Problems.AssertProblemAsync(wrongPassword, 401);
        var b = await Problems.AssertProblemAsync(unknownEmail, 401);
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Disabled_user_gets_no_token()
    {
        var registered = await AuthApi.RegisterAsync(_client);
        await using (var db = new NpgsqlConnection(factory.ConnectionString))
        {
            await db.OpenAsync();
            await using var cmd = new NpgsqlCommand("UPDATE users SET disabled = true WHERE id = @id", db);
            cmd.Parameters.AddWithValue("id", registered.User.Id);
            await cmd.ExecuteNonQueryAsync();
        }

        using var response = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = registered.User.Email, password = AuthApi.Password });

        await Problems.AssertProblemAsync(response, 401);
        using var refresh = await AuthApi.RefreshAsync(_client, registered.RefreshToken);
        await Problems.AssertProblemAsync(refresh, 401);
    }

    [Fact]
    public async Task Missing_fields_are_400_naming_them()
    {
        using var response = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = "" });

        var body = await Problems.AssertProblemAsync(response, 400);
        Assert.True(body.GetProperty("errors").TryGetProperty("email", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Stored_hashes_are_argon2id_phc_strings_at_owasp_cost_or_more()
    {
        var registered = await AuthApi.RegisterAsync(_client);
        await using var db = new NpgsqlConnection(factory.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT password_hash FROM users WHERE id = @id", db);
        cmd.Parameters.AddWithValue("id", registered.User.Id);
        var hash = (string)(await cmd.ExecuteScalarAsync())!;

        Assert.Matches(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", hash);
        Assert.DoesNotContain(AuthApi.Password, hash, StringComparison.Ordinal);
    }
}

/// <summary>Lobby configured with a higher Argon2 cost, on the database of another factory.</summary>
public sealed class StrongerHashLobbyFactory : LobbyFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["PASSWORD_HASH_ITERATIONS"] = "3" };
}

public sealed class RehashTests(StrongerHashLobbyFactory stronger) : IClassFixture<StrongerHashLobbyFactory>
{
    [Fact]
    public async Task Login_rehashes_a_password_stored_at_a_lower_cost()
    {
        // Register at the default cost (t=2) on the same database, then sign in where t=3.
        await using var weaker = new SameDatabaseFactory(stronger.ConnectionString);
        await ((IAsyncLifetime)weaker).InitializeAsync();
        var registered = await AuthApi.RegisterAsync(weaker.CreateClient());

        await AuthApi.LoginAsync(stronger.CreateClient(), registered.User.Email);

        await using var db = new NpgsqlConnection(stronger.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT password_hash FROM users WHERE id = @id", db);
        cmd.Parameters.AddWithValue("id", registered.User.Id);
        Assert.Contains("m=19456,t=3,p=1", (string)(await cmd.ExecuteScalarAsync())!, StringComparison.Ordinal);
        await AuthApi.LoginAsync(weaker.CreateClient(), registered.User.Email);
    }

    private sealed class SameDatabaseFactory(string connectionString) : LobbyFactory
    {
        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);
    }
}
