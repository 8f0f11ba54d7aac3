using Lobby.Api.Config;
using Npgsql;

namespace Lobby.UnitTests.Config;

public sealed class DatabaseUrlTests
{
    [Theory]
    [InlineData("postgres://u:p@h/d")]
    [InlineData("Host=h;Username=u;Database=d")]
    public void Gss_encryption_is_not_probed_unless_asked_for(string url)
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url));

        Assert.Equal(GssEncryptionMode.Disable, cs.GssEncryptionMode);
    }

    [Theory]
    [InlineData("postgres://u:p@h/d?gssencmode=prefer", GssEncryptionMode.Prefer)]
    [InlineData("Host=h;Username=u;GSS Encryption Mode=Require", GssEncryptionMode.Require)]
    public void Gss_encryption_asked_for_is_kept(string url, GssEncryptionMode expected)
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url));

        Assert.Equal(expected, cs.GssEncryptionMode);
    }

    [Fact]
    public void Password_file_replaces_the_password_without_its_trailing_newline()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "s3cr@t;with'quotes\n");
            var cs = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString("postgres://lobby:old@db/lobby", file));

            Assert.Equal("s3cr@t;with'quotes", cs.Password);
            Assert.Equal("lobby", cs.Username);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_missing_or_empty_password_file_is_reported_by_setting_name()
    {
        var empty = Path.GetTempFileName();
        try
        {
            var missing = Assert.Throws<SettingsException>(() => DatabaseUrl.ToConnectionString("postgres://u@h/d", "/nonexistent/secret"));
            var blank = Assert.Throws<SettingsException>(() => DatabaseUrl.ToConnectionString("postgres://u@h/d", empty));

            Assert.Equal("DATABASE_PASSWORD_FILE '/nonexistent/secret' does not exist", missing.Message);
            Assert.Contains("DATABASE_PASSWORD_FILE", blank.Message, StringComparison.Ordinal);
            Assert.Contains("is empty", blank.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(empty);
        }
    }

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
