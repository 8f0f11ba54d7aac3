using System.Globalization;
using Lobby.Api.Store.Migrations;

namespace Lobby.Api.Cli;

/// <summary>`migrate` with goose's verbs, against DATABASE_URL.</summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            return CommandLine.Fail("migrate needs a verb: up, up-to, down, down-to, redo, reset, status or version");
        }

        var verb = args[0];
        var needsVersion = verb is "up-to" or "down-to";
        if (!(needsVersion || verb is "up" or "down" or "redo" or "reset" or "status" or "version"))
        {
            return CommandLine.Fail($"unknown migrate verb '{verb}'");
        }

        if (args.Length != (needsVersion ? 2 : 1))
        {
            return CommandLine.Fail(needsVersion ? $"migrate {verb} needs exactly one VERSION" : $"migrate {verb} takes no argument");
        }

        long target = 0;
        if (needsVersion && (!long.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out target)))
        {
            return CommandLine.Fail($"'{args[1]}' is not a migration version (a non-negative whole number)");
        }

        var connectionString = CliSettings.DatabaseConnectionString();
        if (connectionString is null)
        {
            return 1;
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var migrator = new SchemaMigrator(connectionString, MigrationCatalog.Embedded, loggerFactory.CreateLogger<SchemaMigrator>());
        try
        {
            switch (verb)
            {
                case "up": await migrator.UpAsync(CancellationToken.None); break;
                case "up-to": await migrator.UpToAsync(target, CancellationToken.None); break;
                case "down": await migrator.DownAsync(CancellationToken.None); break;
                case "down-to": await migrator.DownToAsync(target, CancellationToken.None); break;
                case "redo": await migrator.RedoAsync(CancellationToken.None); break;
                case "reset": await migrator.ResetAsync(CancellationToken.None); break;
                case "status": await PrintStatusAsync(migrator); break;
                case "version":
                    Console.WriteLine(await migrator.VersionAsync(CancellationToken.None));
                    break;
            }

            return 0;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"lobby: migrate {verb} failed: {ex.Message}");
            return 1;
        }
    }

    private static async Task PrintStatusAsync(SchemaMigrator migrator)
    {
        var rows = await migrator.StatusAsync(CancellationToken.None);
        Console.WriteLine($"{"Applied At",-26} Migration");
        Console.WriteLine(new string('=', 60));
        foreach (var row in rows)
        {
            var when = row.Applied ? row.AppliedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "applied" : "Pending";
            Console.WriteLine($"{when,-26} {row.Version:D5}_{row.Name}");
        }
    }
}
