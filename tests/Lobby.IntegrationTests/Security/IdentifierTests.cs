using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;
using Lobby.Api.Store.Migrations;
using Npgsql;

namespace Lobby.IntegrationTests.Security;

/// <summary>Lobby with a small per-(email, address) budget, to show spellings of one email share it.</summary>
public sealed class IdentifierFactory : LobbyFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["AUTH_RATE_LIMIT_PER_EMAIL_AND_IP"] = "4" };
}

/// <summary>One account per email however it is spelled; display names that show something and spoof nobody.</summary>
public sealed class IdentifierTests(IdentifierFactory factory) : IClassFixture<IdentifierFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>Compatibility spellings of an email: fullwidth letters, a ligature, the Kelvin sign, case.</summary>
    public static TheoryData<string> Spellings => ["ｋａｔｅ.file", "kate.ﬁle", "\u212Aate.file", "KATE.FILE"];

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task A_compatibility_spelling_of_an_email_is_the_same_account(string local)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var real = await AuthApi.RegisterAsync(_client, $"kate.file.{id}@example.com");
        var spelled = $"{local}.{id}@example.com";

        using var register = await _client.PostAsJsonAsync("/api/v1/auth/register", new { email = spelled, password = AuthApi.Password, displayName = "Impostor" });
        Assert.Contains((int)register.StatusCode, new[] { 400, 409 });
        await Problems.AssertProblemAsync(register, (int)register.StatusCode);

        // Signing in with the other spelling reaches the real account, not a second one.
        var signedIn = await AuthApi.LoginAsync(_client, spelled);
        Assert.Equal(real.User.Id, signedIn.User.Id);
    }

    [Fact]
    public async Task A_decomposed_accent_is_the_same_email_as_the_composed_one()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var real = await AuthApi.RegisterAsync(_client, $"jos\u00e9.{id}@example.com");

        using var register = await _client.PostAsJsonAsync("/api/v1/auth/register", new { email = $"jose\u0301.{id}@example.com", password = AuthApi.Password, displayName = "Impostor" });
        await Problems.AssertProblemAsync(register, 409);
        Assert.Equal(real.User.Id, (await AuthApi.LoginAsync(_client, $"JOSE\u0301.{id}@example.com")).User.Id);
    }

    [Fact]
    public async Task Every_spelling_of_an_email_draws_on_one_sign_in_budget()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var statuses = new List<int>();
        foreach (var local in new[] { "kate.file", "ｋａｔｅ.file", "kate.ﬁle", "\u212Aate.file", "KATE.FILE" })
        {
            using var response = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = $"{local}.{id}@example.com", password = "wrong-guess" });
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([401, 401, 401, 401, 429], statuses);
    }

    [Theory]
    [InlineData("\u3164")]
    [InlineData("\u115f")]
    [InlineData("\u2800\u2800")]
    [InlineData("\u0301")]
    [InlineData("Alice\u3164")]
    public async Task A_display_name_that_shows_nothing_is_refused(string displayName)
    {
        using var register = await _client.PostAsJsonAsync("/api/v1/auth/register", new { email = AuthApi.NewEmail(), password = AuthApi.Password, displayName });
        var problem = await Problems.AssertProblemAsync(register, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("displayName", out _), problem.ToString());

        var user = await AuthApi.RegisterAsync(_client);
        using var rename = await AuthApi.SendAsync(_client, HttpMethod.Patch, "/api/v1/users/me", user.AccessToken, new { displayName });
        await Problems.AssertProblemAsync(rename, 400);
    }

    [Theory]
    [InlineData("\u0430dmin")]
    [InlineData("\u0391lice")]
    [InlineData("Pay\u0440al")]
    public async Task A_display_name_mixing_look_alike_scripts_is_refused(string displayName)
    {
        using var register = await _client.PostAsJsonAsync("/api/v1/auth/register", new { email = AuthApi.NewEmail(), password = AuthApi.Password, displayName });
        var problem = await Problems.AssertProblemAsync(register, 400);
        Assert.Contains("scripts", problem.GetProperty("errors").GetProperty("displayName")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Алиса")]
    [InlineData("Ελένη")]
    [InlineData("José Müller")]
    [InlineData("山田 たろう Taro")]
    [InlineData("김민준 Kim")]
    [InlineData("محمد")]
    [InlineData("Ana 🙂")]
    public async Task Names_in_one_script_or_a_usual_combination_are_accepted(string displayName)
    {
        var user = await AuthApi.RegisterAsync(_client, displayName: displayName);
        Assert.Equal(displayName, user.User.DisplayName);
    }

    [Fact]
    public async Task A_row_from_before_email_keys_signs_in_with_its_spelling_and_gets_its_key()
    {
        // What migration 00004 leaves for the app: a non-ASCII email with no key.
        var id = Guid.NewGuid().ToString("N")[..8];
        var user = await AuthApi.RegisterAsync(_client, $"john.{id}@example.com");
        var legacy = $"Ｊohn.{id}@example.com";
        await ExecAsync("UPDATE users SET email = @email, email_key = NULL WHERE id = @id", ("email", legacy), ("id", user.User.Id));

        Assert.Equal(user.User.Id, (await AuthApi.LoginAsync(_client, legacy)).User.Id);

        Assert.Equal($"john.{id}@example.com", await ScalarAsync("SELECT email_key FROM users WHERE id = @id", ("id", user.User.Id)));
        Assert.Equal(user.User.Id, (await AuthApi.LoginAsync(_client, $"JOHN.{id}@example.com")).User.Id);
    }

    private async Task ExecAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var db = new NpgsqlConnection(factory.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var db = new NpgsqlConnection(factory.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Migrating_a_database_with_rows_keys_ascii_emails_and_leaves_the_rest_to_sign_in()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_keys");
        try
        {
            var migrator = new SchemaMigrator(cs, MigrationCatalog.Embedded);
            await migrator.UpToAsync(3);
            await using (var db = new NpgsqlConnection(cs))
            {
                await db.OpenAsync();
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO users (id, email, display_name, password_hash) VALUES
                      (gen_random_uuid(), 'Alice@Example.COM', 'A', 'x'),
                      (gen_random_uuid(), 'bob@example.com', 'B', 'x'),
                      (gen_random_uuid(), 'Ｊohn@example.com', 'J', 'x')
                    """, db);
                await insert.ExecuteNonQueryAsync();
            }

            await migrator.UpAsync();

            await using var check = new NpgsqlConnection(cs);
            await check.OpenAsync();
            await using var keys = new NpgsqlCommand("SELECT email, email_key FROM users ORDER BY email", check);
            await using var reader = await keys.ExecuteReaderAsync();
            var rows = new List<(string, string?)>();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }

            Assert.Equal([("Alice@Example.COM", "alice@example.com"), ("bob@example.com", "bob@example.com"), ("Ｊohn@example.com", null)], rows);
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }
}
