namespace Lobby.IntegrationTests.Infrastructure;

internal static class Admins
{
    /// <summary>Registers a user and gives it a role the way operators do: the `users set-role` command.</summary>
    public static async Task<TestAuth> CreateAsync(LobbyFactory factory, HttpClient client, string role = "ADMIN")
    {
        var user = await AuthApi.RegisterAsync(client, AuthApi.NewEmail(role.ToLowerInvariant()));
        var result = await LobbyBinary.RunAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = factory.ConnectionString }, "users", "set-role", user.User.Email, role);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return await AuthApi.LoginAsync(client, user.User.Email);
    }
}
