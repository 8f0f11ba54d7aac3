using System.Reflection;
using System.Text;

namespace Lobby.Api.Store.Migrations;

/// <summary>The ordered set of goose SQL migrations known to the application.</summary>
internal sealed class MigrationCatalog
{
    /// <summary>Prefix of the embedded resources' logical names.</summary>
    public const string ResourcePrefix = "migrations/";

    private readonly Dictionary<long, GooseScript> _byVersion;

    /// <summary>Builds a catalog; versions must be unique.</summary>
    /// <exception cref="InvalidOperationException">Two scripts share a version.</exception>
    public MigrationCatalog(IEnumerable<GooseScript> scripts)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        var ordered = scripts.OrderBy(s => s.Version).ToList();
        _byVersion = new Dictionary<long, GooseScript>(ordered.Count);
        foreach (var script in ordered)
        {
            if (!_byVersion.TryAdd(script.Version, script))
            {
                var other = _byVersion[script.Version];
                throw new InvalidOperationException(
                    $"Duplicate migration version {script.Version}: '{other.FileName}' and '{script.FileName}'.");
            }
        }

        Scripts = ordered;
    }

    /// <summary>The migrations embedded in this binary (migrations/*.sql).</summary>
    public static MigrationCatalog Embedded { get; } = FromAssembly(typeof(MigrationCatalog).Assembly);

    /// <summary>All scripts, ascending by version.</summary>
    public IReadOnlyList<GooseScript> Scripts { get; }

    /// <summary>The highest known version, 0 when the catalog is empty.</summary>
    public long LatestVersion => Scripts.Count == 0 ? 0 : Scripts[^1].Version;

    /// <summary>True when <paramref name="version"/> is one of the catalog's versions.</summary>
    public bool Contains(long version) => _byVersion.ContainsKey(version);

    /// <summary>The script of <paramref name="version"/>, or null.</summary>
    public GooseScript? Find(long version) => _byVersion.GetValueOrDefault(version);

    /// <summary>Loads the catalog from the resources of <paramref name="assembly"/> named <c>migrations/*.sql</c>.</summary>
    public static MigrationCatalog FromAssembly(Assembly assembly) => new(LoadEmbedded(assembly));

    /// <summary>
    /// Parses every embedded resource whose name starts with <c>migrations/</c> and ends with <c>.sql</c>,
    /// ordered by version; duplicate versions are rejected.
    /// </summary>
    public static IReadOnlyList<GooseScript> LoadEmbedded(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var scripts = new List<GooseScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                || !resource.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded resource '{resource}' could not be opened.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(GooseScript.Parse(resource[ResourcePrefix.Length..], reader.ReadToEnd()));
        }

        // The constructor orders and rejects duplicate versions.
        return new MigrationCatalog(scripts).Scripts;
    }
}
