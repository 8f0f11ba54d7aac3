using Lobby.Api.Config;
using Npgsql;

namespace Lobby.UnitTests.Config;

public sealed class DatabaseUrlTests
{
    [Fact]
    public void Url_form_becomes_a_connection_string_with_every_part()
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(
            "postgres://lobby:p%40ss%3Aword@db.internal:6543/lobby_prod?sslmode=require&application_name=api"));

        Assert.Equal("db.internal", cs.Host);
        Assert.Equal(6543, cs.Port);
        Assert.Equal("lobby_prod", cs.Database);
        Assert.Equal("lobby", cs.Username);
        Assert.Equal("p@ss:word", cs.Password);
        Assert.Equal(SslMode.Require, cs.SslMode);
        Assert.Equal("api", cs.ApplicationName);
    }

    [Fact]
    public void Postgresql_scheme_and_default_port_are_accepted()
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString("postgresql://u@localhost/db"));

        Assert.Equal(5432, cs.Port);
        Assert.Equal("u", cs.Username);
        Assert.Null(cs.Password);
    }

    [Fact]
    public void Npgsql_connection_string_passes_through()
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString("Host=h;Port=1;Database=d;Username=u;Password=p"));

        Assert.Equal("h", cs.Host);
        Assert.Equal(1, cs.Port);
        Assert.Equal("p", cs.Password);
    }

    [Theory]
    [InlineData("", "DATABASE_URL is empty")]
    [InlineData("postgres://", "DATABASE_URL is not a valid URL")]
    [InlineData("Nonsense Key=1", "DATABASE_URL is neither")]
    [InlineData("Database=d", "DATABASE_URL names no host")]
    [InlineData("postgres://h/d?sslmode=sometimes", "'sslmode'")]
    public void Malformed_values_name_the_variable_and_the_problem(string value, string expected)
    {
        var ex = Assert.Throws<SettingsException>(() => DatabaseUrl.ToConnectionString(value));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Password_never_appears_in_the_error()
    {
        var ex = Assert.Throws<SettingsException>(() => DatabaseUrl.ToConnectionString("postgres://u:hunter2@h/d?bogus_key=1"));

        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }
}
