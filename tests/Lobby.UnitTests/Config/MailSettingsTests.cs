using Lobby.Api.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Lobby.UnitTests.Config;

public sealed class MailSettingsTests
{
    private static readonly string KeyFile = Path.GetTempFileName();

    private static (MailSettings Mail, IReadOnlyList<string> Problems) Bind(string environment, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("DATABASE_URL", "postgres://u@h/d"), new("JWT_SIGNING_KEYS", KeyFile), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))])
            .Build();
        var setup = new LobbyOptionsSetup(configuration, new HostingEnvironment { EnvironmentName = environment, ContentRootPath = "/srv/lobby" });
        var options = new LobbyOptions();
        setup.Configure(options);
        var result = setup.Validate(null, options);
        return (options.Mail, result.Failed ? result.Failures!.ToList() : []);
    }

    [Fact]
    public void Without_smtp_mail_is_files_in_development_and_off_elsewhere()
    {
        Assert.Equal(MailMode.Files, Bind(Environments.Development).Mail.Mode);
        Assert.Equal("/srv/lobby/.data/mail", Bind(Environments.Development).Mail.Directory);
        var (mail, problems) = Bind(Environments.Production);
        Assert.Empty(problems);
        Assert.Equal(MailMode.Off, mail.Mode);
    }

    [Theory]
    [InlineData("smtp://mail.example.com", "StartTlsWhenAvailable", 587, null, null)]
    [InlineData("smtp+starttls://u@mail.example.com:2525", "StartTls", 2525, "u", null)]
    [InlineData("smtps://lobby%40example.com:p%3Ass%2Fw@mail.example.com", "Tls", 465, "lobby@example.com", "p:ss/w")]
    public void Smtp_urls_give_security_port_and_decoded_credentials(string url, string security, int port, string? user, string? password)
    {
        var (mail, problems) = Bind(Environments.Production, ("SMTP_URL", url), ("MAIL_FROM", "Lobby <no-reply@example.com>"), ("PUBLIC_BASE_URL", "https://chat.example.com/"));

        Assert.Empty(problems);
        Assert.Equal(MailMode.Smtp, mail.Mode);
        Assert.Equal(new SmtpUrl("mail.example.com", port, Enum.Parse<SmtpSecurity>(security), user, password), mail.Smtp);
        Assert.Equal("https://chat.example.com", mail.PublicBaseUrl);
        Assert.DoesNotContain(password ?? "-unset-", mail.Smtp!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SMTP_URL", "http://mail.example.com", "scheme 'http'")]
    [InlineData("SMTP_URL", "not a url", "SMTP_URL is not a URL")]
    [InlineData("SMTP_URL", "smtp://mail.example.com/path", "path or query")]
    public void Bad_smtp_urls_are_named(string key, string value, string expected)
    {
        var (_, problems) = Bind(Environments.Production, (key, value), ("MAIL_FROM", "a@b.c"), ("PUBLIC_BASE_URL", "https://x.example"));
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Smtp_needs_a_sender_and_outside_development_a_public_address()
    {
        var (_, problems) = Bind(Environments.Production, ("SMTP_URL", "smtp://mail.example.com"));
        Assert.Contains(problems, p => p.StartsWith("MAIL_FROM is not set", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("PUBLIC_BASE_URL is not set", StringComparison.Ordinal));
        Assert.Contains(Bind(Environments.Production, ("MAIL_FROM", "nobody")).Problems, p => p.StartsWith("MAIL_FROM 'nobody'", StringComparison.Ordinal));
        Assert.Contains(Bind(Environments.Production, ("PUBLIC_BASE_URL", "ftp://x")).Problems, p => p.StartsWith("PUBLIC_BASE_URL 'ftp://x'", StringComparison.Ordinal));
    }

    [Fact]
    public void Required_verification_without_mail_refuses_to_start()
    {
        var (_, problems) = Bind(Environments.Production, ("REQUIRE_EMAIL_VERIFICATION", "true"));
        Assert.Contains(problems, p => p.StartsWith("REQUIRE_EMAIL_VERIFICATION=true needs SMTP_URL", StringComparison.Ordinal));
        Assert.Empty(Bind(Environments.Development, ("REQUIRE_EMAIL_VERIFICATION", "true")).Problems);
    }
}
