using Lobby.Api.Data.Auth;
using Lobby.Api.Security;
using Npgsql;

namespace Lobby.Api.Cli;

/// <summary>`users set-role EMAIL ROLE`: run against the configured database, e.g. to make the first admin.</summary>
internal static class UsersCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 3 || args[0] != "set-role")
        {
            return CommandLine.Fail("usage: users set-role EMAIL ROLE");
        }

        var (email, role) = (args[1], args[2].ToUpperInvariant());
        if (!Roles.IsValid(role))
        {
            return CommandLine.Fail($"'{args[2]}' is not a role; use one of {string.Join(", ", Roles.All)}");
        }

        var connectionString = CliSettings.DatabaseConnectionString();
        if (connectionString is null)
        {
            return 1;
        }

        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        // Sessions keep working: their access tokens are refused within the session-check
        // window because the role in them no longer matches, and a refresh carries the new role.
        if (!await UserQueries.UpdateRoleByEmailAsync(db, null, email, Services.Auth.CredentialRules.EmailKey(email), role, CancellationToken.None))
        {
            Console.Error.WriteLine($"lobby: no user with email {email}");
            return 1;
        }

        Console.WriteLine($"{email} is now {role}");
        return 0;
    }
}
