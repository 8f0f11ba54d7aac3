using Lobby.IntegrationTests.Infrastructure;
using Lobby.IntegrationTests.Rooms;

namespace Lobby.IntegrationTests.Security;

/// <summary>Message bodies refuse the bidi controls that reorder what follows them, and keep what real scripts need.</summary>
public sealed class MessageBidiTests(RoomsFactory factory) : IClassFixture<RoomsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("pay to \u202Eevil\u202C now")]
    [InlineData("\u202Dforced ltr")]
    [InlineData("\u2067isolated\u2069")]
    [InlineData("a\u202Ab")]
    public async Task A_body_with_a_bidi_override_or_isolate_is_refused_on_post_and_edit(string body)
    {
        var author = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, author);

        using var post = await AuthApi.SendAsync(_client, HttpMethod.Post, $"/api/v1/rooms/{room.Id}/messages", author.AccessToken, new { body });
        var problem = await Problems.AssertProblemAsync(post, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _), problem.ToString());

        var message = await RoomsApi.PostAsync(_client, author, room.Id, "plain");
        using var edit = await AuthApi.SendAsync(_client, HttpMethod.Patch, $"/api/v1/rooms/{room.Id}/messages/{message.Id}", author.AccessToken, new { body });
        await Problems.AssertProblemAsync(edit, 400);
    }

    [Theory]
    [InlineData("שלום\u200F!")]
    [InlineData("می\u200Cخواهم")]
    [InlineData("👩\u200D💻 at work")]
    [InlineData("مرحبا \u061C123")]
    public async Task Marks_and_joiners_that_real_text_needs_are_kept(string body)
    {
        var author = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, author);

        var message = await RoomsApi.PostAsync(_client, author, room.Id, body);

        Assert.Equal(body, message.Body);
    }
}
