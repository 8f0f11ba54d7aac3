using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Lobby.IntegrationTests.Infrastructure;

public sealed record TestUser(Guid Id, string Email, string DisplayName, string Role, DateTime CreatedAt);

public sealed record TestAuth(string AccessToken, string RefreshToken, int ExpiresIn, TestUser User);

/// <summary>Signs users up and in through the public API, as a client would.</summary>
internal static class AuthApi
{
    public const string Password = "correct horse battery staple";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    public static async Task<TestAuth> RegisterAsync(HttpClient client, string? email = null, string password = Password, string displayName = "Test User")
    {
        using var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = email ?? NewEmail(), password, displayName });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"register failed: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<TestAuth>(text, Json)!;
    }

    public static async Task<TestAuth> LoginAsync(HttpClient client, string email, string password = Password)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"login failed: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<TestAuth>(text, Json)!;
    }

    public static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });

    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? accessToken, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }
}
