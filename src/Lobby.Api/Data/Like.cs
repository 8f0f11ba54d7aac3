namespace Lobby.Api.Data;

internal static class Like
{
    /// <summary>A LIKE pattern matching values that start with <paramref name="text"/>, wildcards escaped (ESCAPE '\').</summary>
    public static string Prefix(string text) =>
        text.ToLowerInvariant().Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
