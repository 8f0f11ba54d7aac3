namespace Lobby.IntegrationTests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The repository root: the folder holding Lobby.slnx, found upward from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lobby.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Lobby.slnx not found above " + AppContext.BaseDirectory);
    }
}
