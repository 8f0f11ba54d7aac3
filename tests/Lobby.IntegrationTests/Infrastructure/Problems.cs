using System.Text.Json;

namespace Lobby.IntegrationTests.Infrastructure;

internal static class Problems
{
    /// <summary>Asserts an RFC 9457 body with the given status and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.Equal(response.Headers.GetValues("X-Request-ID").Single(), body.GetProperty("requestId").GetString());
        return body;
    }
}
