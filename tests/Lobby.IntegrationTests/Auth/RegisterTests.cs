using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Auth;

public sealed class RegisterTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Register_returns_201_with_tokens_and_the_new_user()
    {
        var email = AuthApi.NewEmail("Alice");
        using var response = await _client.PostAsJsonAsync("/api/v1/auth/register", new { email = "  " + email + " ", password = AuthApi.Password, displayName = "  Alice " });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = body.GetProperty("user");
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.Equal("Alice", user.GetProperty("displayName").GetString());
        Assert.Equal("USER", user.GetProperty("role").GetString());
        Assert.Equal($"/api/v1/users/{user.GetProperty("id").GetString()}", response.Headers.Location?.ToString());
        Assert.Equal(900, body.GetProperty("expiresIn").GetInt32());
        Assert.Equal(3, body.GetProperty("accessToken").GetString()!.Split('.').Length);
        Assert.Equal(43, body.GetProperty("refreshToken").GetString()!.Length);
        Assert.False(user.TryGetProperty("passwordHash", out _));
    }

    [Fact]
    public async Task Same_email_in_other_case_is_409()
    {
        var email = AuthApi.NewEmail("bob");
        await AuthApi.RegisterAsync(_client, email);

        using var response = await _client.PostAsJsonAsync("/api/v1/auth/register", new { email = email.ToUpperInvariant(), password = AuthApi.Password, displayName = "Bob" });

        await Problems.AssertProblemAsync(response, 409);
    }

    public static TheoryData<string?, string?, string?, string> InvalidInputs => new()
    {
        { null, AuthApi.Password, "N", "email" },
        { "not-an-email", AuthApi.Password, "N", "email" },
        { "a@b", AuthApi.Password, "N", "email" },
        { "Name <x@example.com>", AuthApi.Password, "N", "email" },
        { new string('a', 250) + "@example.com", AuthApi.Password, "N", "email" },
        { "x@example.com", null, "N", "password" },
        { "x@example.com", "short", "N", "password" },
        { "x@example.com", new string('p', 129), "N", "password" },
        { "x@example.com", "password123", "N", "password" },
        { "x@example.com", "qwertyuiop", "N", "password" },
        { "longenough@example.com", "LONGENOUGH@example.com", "N", "password" },
        { "x@example.com", "😀😀😀😀😀😀😀", "N", "password" },
        { "x@example.com", AuthApi.Password, null, "displayName" },
        { "x@example.com", AuthApi.Password, "   ", "displayName" },
        { "x@example.com", AuthApi.Password, new string('n', 65), "displayName" },
        { "x@example.com", AuthApi.Password, "bad\u0007name", "displayName" },
        { "x@example.com", AuthApi.Password, "rtl\u202Ename", "displayName" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Invalid_input_is_400_naming_the_field(string? email, string? password, string? displayName, string field)
    {
        using var response = await _client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, displayName });

        var body = await Problems.AssertProblemAsync(response, 400);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var messages), body.ToString());
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task Password_length_counts_characters_not_bytes()
    {
        // Eight emoji: 32 bytes, 16 UTF-16 units, 8 characters. Accepted.
        await AuthApi.RegisterAsync(_client, password: "😀😁😂🤣😃😄😅😆");
    }

    [Fact]
    public async Task Unknown_field_is_400_naming_it()
    {
        using var response = await _client.PostAsJsonAsync("/api/v1/auth/register", new { email = AuthApi.NewEmail(), password = AuthApi.Password, displayName = "M", role = "ADMIN" });

        var body = await Problems.AssertProblemAsync(response, 400);
        Assert.True(body.GetProperty("errors").TryGetProperty("role", out _), body.ToString());
    }

    [Fact]
    public async Task Malformed_json_is_400_saying_where_it_broke()
    {
        using var content = new StringContent("{\"email\": \"a@b.c\", \"password\": ", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri("/api/v1/auth/register", UriKind.Relative), content);

        var body = await Problems.AssertProblemAsync(response, 400);
        Assert.Contains("line 1", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_json_type_is_400_naming_the_field()
    {
        using var content = new StringContent("{\"email\": 42, \"password\": \"x\", \"displayName\": \"y\"}", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri("/api/v1/auth/register", UriKind.Relative), content);

        var body = await Problems.AssertProblemAsync(response, 400);
        Assert.True(body.GetProperty("errors").TryGetProperty("email", out _), body.ToString());
    }

    [Fact]
    public async Task Non_json_content_type_is_415()
    {
        using var content = new StringContent("email=a@b.c", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _client.PostAsync(new Uri("/api/v1/auth/register", UriKind.Relative), content);

        await Problems.AssertProblemAsync(response, 415);
    }

    [Fact]
    public async Task Empty_body_is_400()
    {
        using var content = new StringContent("", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri("/api/v1/auth/register", UriKind.Relative), content);

        await Problems.AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task Wrong_method_is_405_problem()
    {
        using var response = await _client.GetAsync(new Uri("/api/v1/auth/register", UriKind.Relative));

        await Problems.AssertProblemAsync(response, 405);
    }

    [Fact]
    public async Task A_one_megabyte_password_is_refused_quickly_without_hashing()
    {
        using var response = await _client.PostAsJsonAsync("/api/v1/auth/register", new { email = AuthApi.NewEmail(), password = new string('x', 1024 * 1024), displayName = "Big" });
        Assert.Contains((int)response.StatusCode, new[] { 400, 413 });
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
