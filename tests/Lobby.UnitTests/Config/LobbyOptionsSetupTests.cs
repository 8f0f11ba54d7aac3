using Lobby.Api.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Lobby.UnitTests.Config;

public sealed class LobbyOptionsSetupTests
{
    private static readonly string KeyFile = Path.GetTempFileName();

    private static (LobbyOptions Options, IReadOnlyList<string> Problems) Bind(string environment, params (string Key, string Value)[] settings) =>
        BindExactly(environment, [("JWT_SIGNING_KEYS", KeyFile), .. settings]);

    private static (LobbyOptions Options, IReadOnlyList<string> Problems) BindExactly(string environment, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var setup = new LobbyOptionsSetup(configuration, new HostingEnvironment { EnvironmentName = environment });
        var options = new LobbyOptions();
        setup.Configure(options);
        var result = setup.Validate(null, options);
        return (options, result.Failed ? result.Failures!.ToList() : []);
    }

    [Fact]
    public void Defaults_apply_when_only_the_database_is_given()
    {
        var (options, problems) = Bind(Environments.Production, ("DATABASE_URL", "postgres://u@h/d"));

        Assert.Empty(problems);
        Assert.False(options.MigrateOnStartup);
        Assert.Equal(20, options.DatabaseMaxPoolSize);
        Assert.Empty(options.CorsOrigins);
    }

    [Theory]
    [InlineData("Development", null, "text")]
    [InlineData("Production", null, "json")]
    [InlineData("Testing", null, "json")]
    [InlineData("Development", "json", "json")]
    [InlineData("Production", " TEXT ", "text")]
    public void Log_format_is_text_in_development_and_json_elsewhere_unless_set(string environment, string? setting, string expected)
    {
        var (options, problems) = setting is null
            ? Bind(environment, ("DATABASE_URL", "postgres://u@h/d"))
            : Bind(environment, ("DATABASE_URL", "postgres://u@h/d"), ("LOG_FORMAT", setting));

        Assert.Empty(problems);
        Assert.Equal(expected, options.LogFormat);
    }

    [Fact]
    public void An_unknown_log_format_is_reported_by_name()
    {
        var (_, problems) = Bind(Environments.Production, ("DATABASE_URL", "postgres://u@h/d"), ("LOG_FORMAT", "yaml"));

        Assert.Contains(problems, p => p.Contains("LOG_FORMAT 'yaml'", StringComparison.Ordinal));
    }

    [Fact]
    public void Limits_have_their_documented_defaults_and_read_their_variables()
    {
        var defaults = Bind(Environments.Production, ("DATABASE_URL", "postgres://u@h/d")).Options;
        Assert.Equal((10, 30, TimeSpan.FromSeconds(30)), (defaults.Auth.RateLimitPerEmailAndIpPerMinute, defaults.Auth.RateLimitPerEmailPerMinute, defaults.Auth.SlowdownMax));
        Assert.Equal((5, 30, 60, 10, 30), (defaults.Limits.RoomCreatesPerMinute, defaults.Limits.MembershipChangesPerMinute, defaults.Limits.EditsPerMinute, defaults.Limits.ProfileChangesPerMinute, defaults.Limits.SessionRequestsPerMinute));

        var set = Bind(Environments.Production, ("DATABASE_URL", "postgres://u@h/d"), ("ROOM_CREATE_RATE_LIMIT_PER_MINUTE", "2"), ("AUTH_SLOWDOWN_MAX_SECONDS", "0"), ("AUTH_RATE_LIMIT_PER_EMAIL_AND_IP", "4"));
        Assert.Empty(set.Problems);
        Assert.Equal((2, TimeSpan.Zero, 4), (set.Options.Limits.RoomCreatesPerMinute, set.Options.Auth.SlowdownMax, set.Options.Auth.RateLimitPerEmailAndIpPerMinute));
    }

    [Theory]
    [InlineData("EDIT_RATE_LIMIT_PER_MINUTE", "0")]
    [InlineData("AUTH_SLOWDOWN_MAX_SECONDS", "61")]
    [InlineData("SESSION_RATE_LIMIT_PER_MINUTE", "many")]
    public void A_bad_limit_is_reported_by_name(string key, string value)
    {
        var problem = Assert.Single(Bind(Environments.Production, ("DATABASE_URL", "postgres://u@h/d"), (key, value)).Problems);
        Assert.StartsWith(key, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrate_on_startup_defaults_on_in_development_only()
    {
        Assert.True(Bind(Environments.Development, ("DATABASE_URL", "postgres://u@h/d")).Options.MigrateOnStartup);
        Assert.False(Bind(Environments.Development, ("DATABASE_URL", "postgres://u@h/d"), ("MIGRATE_ON_STARTUP", "false")).Options.MigrateOnStartup);
    }

    [Fact]
    public void Missing_database_url_is_reported_by_name()
    {
        var problem = Assert.Single(BindExactly(Environments.Production, ("JWT_SIGNING_KEYS", KeyFile)).Problems);
        Assert.StartsWith("DATABASE_URL is not set", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DATABASE_MAX_POOL_SIZE", "0")]
    [InlineData("DATABASE_MAX_POOL_SIZE", "lots")]
    [InlineData("DATABASE_COMMAND_TIMEOUT", "-1")]
    [InlineData("MIGRATE_ON_STARTUP", "maybe")]
    [InlineData("LOG_LEVEL", "chatty")]
    [InlineData("LOG_LEVEL", "3")]
    [InlineData("CORS_ORIGINS", "*")]
    [InlineData("CORS_ORIGINS", "https://ok.example, https://bad.example/path")]
    [InlineData("MAX_REQUEST_BODY_BYTES", "12")]
    public void Each_malformed_setting_is_reported_by_name(string key, string value)
    {
        var problem = Assert.Single(Bind(Environments.Production, ("DATABASE_URL", "postgres://u@h/d"), (key, value)).Problems);
        Assert.StartsWith(key, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_keys_are_required_outside_development_and_generated_in_it()
    {
        var production = Assert.Single(BindExactly(Environments.Production, ("DATABASE_URL", "postgres://u@h/d")).Problems);
        Assert.StartsWith("JWT_SIGNING_KEYS is not set", production, StringComparison.Ordinal);

        var (development, problems) = BindExactly(Environments.Development, ("DATABASE_URL", "postgres://u@h/d"));
        Assert.Empty(problems);
        Assert.True(development.Auth.GenerateDevelopmentKey);
    }

    [Fact]
    public void A_signing_key_file_that_does_not_exist_is_named()
    {
        var problem = Assert.Single(BindExactly(Environments.Production, ("DATABASE_URL", "postgres://u@h/d"), ("JWT_SIGNING_KEYS", "/nope/key.pem")).Problems);
        Assert.Contains("/nope/key.pem", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Password_hash_cost_below_owasp_is_refused()
    {
        var problem = Assert.Single(Bind(Environments.Production, ("DATABASE_URL", "postgres://u@h/d"), ("PASSWORD_HASH_MEMORY_KIB", "4096")).Problems);
        Assert.StartsWith("PASSWORD_HASH_MEMORY_KIB", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Cors_origins_are_split_and_trimmed()
    {
        var (options, problems) = Bind(Environments.Production, ("DATABASE_URL", "postgres://u@h/d"), ("CORS_ORIGINS", "https://a.example , http://localhost:5173"));

        Assert.Empty(problems);
        Assert.Equal(["https://a.example", "http://localhost:5173"], options.CorsOrigins);
    }
}
