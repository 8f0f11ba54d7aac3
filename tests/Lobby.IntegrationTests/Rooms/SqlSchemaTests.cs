using System.Reflection;
using Lobby.Api.Data.Auth;
using Lobby.IntegrationTests.Infrastructure;
using Npgsql;

namespace Lobby.IntegrationTests.Rooms;

/// <summary>
/// sqlc's guarantee without sqlc: every SQL statement in Data/ is parsed and planned by
/// PostgreSQL against the migrated schema, so a query that no longer matches it fails here.
/// </summary>
public sealed class SqlSchemaTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    public static TheoryData<string, string> Statements()
    {
        var data = new TheoryData<string, string>();
        var types = typeof(UserQueries).Assembly.GetTypes().Where(t => t.Namespace?.StartsWith("Lobby.Api.Data", StringComparison.Ordinal) == true);
        foreach (var type in types)
        {
            foreach (var field in type.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                var sql = ((string)field.GetRawConstantValue()!).TrimStart();
                if (sql.Split(' ', '\n')[0].ToUpperInvariant() is "SELECT" or "INSERT" or "UPDATE" or "DELETE" or "WITH")
                {
                    data.Add($"{type.Name}.{field.Name}", sql);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Every_data_context_has_statements_to_check() =>
        Assert.True(Statements().Count >= 40, $"only {Statements().Count} statements found");

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task Statement_matches_the_schema(string name, string sql)
    {
        await using var db = new NpgsqlConnection(factory.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        // Describe without executing: PostgreSQL parses, resolves every table and column and
        // infers parameter types, or fails naming what is wrong.
        var exception = Record.Exception(() => NpgsqlCommandBuilder.DeriveParameters(command));

        Assert.True(exception is null, $"{name}: {exception?.Message}");
        Assert.All(command.Parameters, p => Assert.False(string.IsNullOrEmpty(p.ParameterName), name));
    }
}
