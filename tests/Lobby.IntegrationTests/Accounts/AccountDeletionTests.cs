using System.Net.Http.Json;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Accounts;

/// <summary>Right to erasure: the account goes, its messages stay as tombstones with their seq, its rooms pass on.</summary>
public sealed class AccountDeletionTests(MailLobbyFactory factory) : IClassFixture<MailLobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Deleting_an_account_keeps_seqs_removes_bodies_and_hands_rooms_on()
    {
        var leaving = await AuthApi.RegisterAsync(_client, displayName: "Leaving Soon");
        var staying = await AuthApi.RegisterAsync(_client, displayName: "Staying Here");
        var shared = await RoomsApi.CreateAsync(_client, leaving);
        await RoomsApi.AddMemberAsync(_client, leaving, shared.Id, staying.User.Id);
        var alone = await RoomsApi.CreateAsync(_client, leaving, "private");
        await RoomsApi.PostAsync(_client, leaving, shared.Id, "first words");
        await RoomsApi.PostAsync(_client, staying, shared.Id, "a reply");
        await RoomsApi.PostAsync(_client, leaving, shared.Id, "last words");
        var dm = await RoomsApi.OpenDmAsync(_client, staying, leaving.User.Id);
        await RoomsApi.PostAsync(_client, leaving, dm.Id, "in private");

        using (var wrong = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/delete", leaving.AccessToken, new { currentPassword = "not my password" }))
        {
            await Problems.AssertProblemAsync(wrong, 400);
        }

        using (var delete = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/delete", leaving.AccessToken, new { currentPassword = AuthApi.Password }))
        {
            Assert.Equal(204, (int)delete.StatusCode);
        }

        await factory.Smtp.WaitForAsync(leaving.User.Email, "account was deleted");
        using (var access = await AuthApi.GetAsync(_client, "/api/v1/users/me", leaving.AccessToken))
        {
            await Problems.AssertProblemAsync(access, 401);
        }

        using (var refresh = await AuthApi.RefreshAsync(_client, leaving.RefreshToken))
        {
            await Problems.AssertProblemAsync(refresh, 401);
        }

        using (var login = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = leaving.User.Email, password = AuthApi.Password }))
        {
            await Problems.AssertProblemAsync(login, 401);
        }

        var messages = await RoomsApi.MessagesAsync(_client, staying, shared.Id);
        Assert.Equal([1L, 2L, 3L], messages.Select(m => m.Seq).Order());
        var gone = messages.Where(m => m.AuthorId == leaving.User.Id).ToList();
        Assert.Equal(2, gone.Count);
        Assert.All(gone, m => Assert.Null(m.Body));
        Assert.All(gone, m => Assert.NotNull(m.DeletedAt));
        Assert.All(gone, m => Assert.Equal("Deleted user", m.Author.DisplayName));
        Assert.Equal("a reply", messages.Single(m => m.AuthorId == staying.User.Id).Body);
        Assert.Null((await RoomsApi.MessagesAsync(_client, staying, dm.Id)).Single().Body);

        var room = await RoomsApi.GetAsync(_client, staying, shared.Id);
        Assert.Equal(staying.User.Id, room.OwnerId);
        Assert.Equal("owner", room.MyRole);
        using (var emptyRoom = await AuthApi.GetAsync(_client, $"/api/v1/rooms/{alone.Id}", staying.AccessToken))
        {
            await Problems.AssertProblemAsync(emptyRoom, 404);
        }

        using (var profile = await AuthApi.GetAsync(_client, $"/api/v1/users/{leaving.User.Id}", staying.AccessToken))
        {
            await Problems.AssertProblemAsync(profile, 404);
        }

        // The address is free again: nothing of the old account holds it.
        var again = await AuthApi.RegisterAsync(_client, leaving.User.Email, displayName: "Back Again");
        Assert.NotEqual(leaving.User.Id, again.User.Id);
    }

    [Fact]
    public async Task The_last_admin_cannot_delete_their_account()
    {
        var admin = await Admins.CreateAsync(factory, _client);
        using var delete = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/delete", admin.AccessToken, new { currentPassword = AuthApi.Password });
        var problem = await Problems.AssertProblemAsync(delete, 409);
        Assert.Contains("last admin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var stillThere = await AuthApi.GetAsync(_client, "/api/v1/users/me", admin.AccessToken);
        Assert.Equal(200, (int)stillThere.StatusCode);
    }
}
