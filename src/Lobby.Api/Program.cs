using Lobby.Api;
using Lobby.Api.Cli;

// `Lobby.Api` serves HTTP by default; `migrate`, `healthcheck` and friends are subcommands.
return await CommandLine.RunAsync(args, LobbyApp.ServeAsync);

/// <summary>Entry point type, public so WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
