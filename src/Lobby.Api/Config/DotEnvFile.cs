namespace Lobby.Api.Config;

/// <summary>
/// Loads <c>.env</c> from the working directory into the process environment for development.
/// Variables already set win, so a container's real environment is never overridden.
/// </summary>
internal static class DotEnvFile
{
    public static void LoadIfPresent()
    {
        var path = Path.Combine(Directory.GetCurrentDirectory(), ".env");
        if (File.Exists(path))
        {
            DotNetEnv.Env.NoClobber().Load(path);
        }
    }
}
