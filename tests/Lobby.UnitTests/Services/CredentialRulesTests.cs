using Lobby.Api.Services.Auth;

namespace Lobby.UnitTests.Services;

public sealed class CredentialRulesTests
{
    [Fact]
    public void The_shipped_common_password_list_has_ten_thousand_entries() =>
        Assert.InRange(CredentialRules.CommonPasswordCount, 9_900, 10_000);

    [Theory]
    [InlineData("correct horse battery staple", null)]
    [InlineData("short", "at least 8")]
    [InlineData("password", "too common")]
    [InlineData("PassWord", "too common")]
    [InlineData("12345678", "too common")]
    [InlineData("same@example.com", "same as the email")]
    [InlineData("😀😀😀😀😀😀😀", "at least 8")]
    [InlineData("😀😁😂🤣😃😄😅😆", null)]
    public void Password_rules(string password, string? expected)
    {
        var error = CredentialRules.Password(password, "Same@Example.com");
        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Passwords_of_129_characters_are_too_long_and_128_are_fine()
    {
        Assert.Contains("at most 128", CredentialRules.Password(new string('q', 129), null), StringComparison.Ordinal);
        Assert.Null(CredentialRules.Password(new string('q', 128), null));
    }

    [Theory]
    [InlineData("  alice@example.com ", "alice@example.com")]
    [InlineData("Alice.Smith+tag@sub.example.org", "Alice.Smith+tag@sub.example.org")]
    [InlineData("no-at-sign", null)]
    [InlineData("two@@example.com", null)]
    [InlineData("a@localhost", null)]
    [InlineData("Name <a@example.com>", null)]
    [InlineData("a b@example.com", null)]
    [InlineData("", null)]
    public void Email_rules(string input, string? expected) =>
        Assert.Equal(expected, CredentialRules.Email(input).Value);

    [Fact]
    public void Emails_longer_than_254_are_refused() =>
        Assert.NotNull(CredentialRules.Email(new string('a', 243) + "@example.com").Error);

    [Theory]
    [InlineData("  Ada  ", "Ada")]
    [InlineData("Zoë 🚀", "Zoë 🚀")]
    [InlineData("", null)]
    [InlineData("tab\tinside", null)]
    [InlineData("zero\u200Bwidth", null)]
    public void Display_name_rules(string input, string? expected) =>
        Assert.Equal(expected, CredentialRules.DisplayName(input).Value);

    [Fact]
    public void Display_names_count_characters_up_to_64() =>
        Assert.Equal(new string('é', 64), CredentialRules.DisplayName(new string('é', 64)).Value);
}
