using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Foundation;

public sealed class RequestIdTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    [Fact]
    public async Task A_safe_incoming_id_is_echoed_and_put_in_problem_bodies()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/route");
        request.Headers.Add("X-Request-ID", "client-abc.123");
        using var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal("client-abc.123", response.Headers.GetValues("X-Request-ID").Single());
        var body = await Problems.AssertProblemAsync(response, 404);
        Assert.Equal("client-abc.123", body.GetProperty("requestId").GetString());
    }

    [Theory]
    [InlineData("has spaces in it")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("line\\nbreak")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_unsafe_or_long_incoming_id_is_replaced(string incoming)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation("X-Request-ID", incoming);
        using var response = await factory.CreateClient().SendAsync(request);

        var echoed = response.Headers.GetValues("X-Request-ID").Single();
        Assert.NotEqual(incoming, echoed);
        Assert.Matches("^[0-9a-f]{32}$", echoed);
    }

    [Fact]
    public async Task Each_request_without_an_id_gets_a_different_one()
    {
        var client = factory.CreateClient();
        using var first = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var second = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.NotEqual(first.Headers.GetValues("X-Request-ID").Single(), second.Headers.GetValues("X-Request-ID").Single());
    }
}
