namespace Lobby.Api.Cli;

/// <summary>
/// The binary's commands. Serving is the default so the executable (`Lobby.Api`, or
/// `dotnet Lobby.Api.dll` of a JIT build) and the container entry point need no argument;
/// everything else is an explicit verb.
/// </summary>
internal static class CommandLine
{
    public const int UsageError = 2;

    public const string Usage = """
        Usage: Lobby.Api [command]

        Commands:
          serve                      Serve HTTP (the default when no command is given)
          migrate up                 Apply every pending migration
          migrate up-to VERSION      Apply pending migrations up to and including VERSION
          migrate down               Roll back the latest applied migration
          migrate down-to VERSION    Roll back every migration newer than VERSION (0 = all)
          migrate redo               Roll back the latest migration and apply it again
          migrate reset              Roll back every applied migration
          migrate status             List applied and pending migrations
          migrate version            Print the current schema version
          healthcheck [URL]          Exit 0 when this instance's /health/ready answers 200
          keys generate FILE         Write a new RSA signing key: FILE (private) and FILE.pub
          users set-role EMAIL ROLE  Give a user the role USER, MODERATOR or ADMIN (bootstraps the first admin)
          help                       Show this text

        Configuration comes from environment variables (and .env when present); see .env.example.
        """;

    public static async Task<int> RunAsync(string[] args, Func<string[], Task<int>> serve)
    {
        // Host switches such as --urls or --environment belong to `serve`.
        if (args.Length == 0 || (args[0].StartsWith("--", StringComparison.Ordinal) && !IsHelp(args[0])))
        {
            return await serve(args);
        }

        var rest = args[1..];
        switch (args[0])
        {
            case "serve":
                return await serve(rest);
            case "migrate":
                return await MigrateCommand.RunAsync(rest);
            case "healthcheck":
                return await HealthcheckCommand.RunAsync(rest);
            case "keys":
                return KeysCommand.Run(rest);
            case "users":
                return await UsersCommand.RunAsync(rest);
            case var help when IsHelp(help):
                Console.WriteLine(Usage);
                return 0;
            default:
                return Fail($"unknown command '{args[0]}'");
        }
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"lobby: {message}");
        Console.Error.WriteLine();
        Console.Error.WriteLine(Usage);
        return UsageError;
    }

    private static bool IsHelp(string arg) => arg is "help" or "--help" or "-h";
}
