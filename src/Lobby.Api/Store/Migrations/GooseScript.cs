using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Lobby.Api.Store.Migrations;

/// <summary>
/// One migration file in goose's SQL format (<c>-- +goose Up</c> / <c>-- +goose Down</c>,
/// optional <c>-- +goose StatementBegin</c>/<c>StatementEnd</c> blocks and <c>-- +goose NO TRANSACTION</c>).
/// </summary>
/// <param name="Version">Numeric prefix of the file name (e.g. 1 for <c>00001_auth.sql</c>).</param>
/// <param name="Name">File name part after the version (e.g. <c>auth</c>).</param>
/// <param name="UpStatements">Statements of the Up section, annotation lines stripped, each run as its own command.</param>
/// <param name="DownStatements">Statements of the Down section (may be empty).</param>
/// <param name="NoTransaction">True when the file carries <c>-- +goose NO TRANSACTION</c>.</param>
internal sealed partial record GooseScript(
    long Version,
    string Name,
    IReadOnlyList<string> UpStatements,
    IReadOnlyList<string> DownStatements,
    bool NoTransaction)
{
    /// <summary>The Up section's SQL (annotation lines stripped).</summary>
    public string UpSql => string.Join('\n', UpStatements);

    /// <summary>The Down section's SQL (annotation lines stripped).</summary>
    public string DownSql => string.Join('\n', DownStatements);

    /// <summary>The file name the script was parsed from, e.g. <c>00001_auth.sql</c>.</summary>
    public string FileName { get; init; } = string.Empty;

    [GeneratedRegex(@"^(\d+)_([a-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();

    private enum Section
    {
        None,
        Up,
        Down,
    }

    /// <summary>Parses a goose SQL migration file.</summary>
    /// <param name="fileName">File name only, e.g. <c>00001_auth.sql</c>.</param>
    /// <param name="text">The file's content.</param>
    /// <exception cref="FormatException">The file name or content is not a valid goose migration.</exception>
    public static GooseScript Parse(string fileName, string text)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(text);

        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new FormatException(
                $"Migration file name '{fileName}' is invalid: expected '<version>_<name>.sql' matching ^\\d+_[a-z0-9_]+\\.sql$.");
        }

        if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw new FormatException($"Migration file name '{fileName}' has an invalid version: it must be an integer between 1 and {long.MaxValue}.");
        }

        var up = new List<string>();
        var down = new List<string>();
        var buffer = new StringBuilder();
        var section = Section.None;
        var inBlock = false;
        var noTransaction = false;
        var lineNo = 0;

        List<string> Current() => section == Section.Up ? up : down;

        void Flush()
        {
            var statement = buffer.ToString().Trim();
            buffer.Clear();
            if (statement.Length > 0)
            {
                Current().Add(statement);
            }
        }

        FormatException Error(string message) => new($"Migration '{fileName}', line {lineNo}: {message}");

        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            var trimmed = line.Trim();

            if (trimmed.StartsWith("--", StringComparison.Ordinal))
            {
                var comment = trimmed[2..].Trim();
                if (comment.StartsWith("+goose", StringComparison.OrdinalIgnoreCase))
                {
                    var command = string.Join(' ', comment[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
                    switch (command)
                    {
                        case "UP":
                            if (section != Section.None)
                            {
                                throw Error("duplicate '-- +goose Up' annotation (or Up after Down).");
                            }

                            section = Section.Up;
                            break;
                        case "DOWN":
                            if (section != Section.Up)
                            {
                                throw Error(section == Section.None
                                    ? "'-- +goose Down' before '-- +goose Up'."
                                    : "duplicate '-- +goose Down' annotation.");
                            }

                            if (inBlock)
                            {
                                throw Error("'-- +goose Down' inside a StatementBegin block (missing '-- +goose StatementEnd').");
                            }

                            Flush();
                            section = Section.Down;
                            break;
                        case "STATEMENTBEGIN":
                            if (section == Section.None)
                            {
                                throw Error("'-- +goose StatementBegin' before '-- +goose Up'.");
                            }

                            if (inBlock)
                            {
                                throw Error("nested '-- +goose StatementBegin'.");
                            }

                            Flush();
                            inBlock = true;
                            break;
                        case "STATEMENTEND":
                            if (!inBlock)
                            {
                                throw Error("'-- +goose StatementEnd' without a matching StatementBegin.");
                            }

                            Flush();
                            inBlock = false;
                            break;
                        case "NO TRANSACTION":
                            noTransaction = true;
                            break;
                        default:
                            throw Error($"unsupported goose annotation '{trimmed}'.");
                    }

                    continue;
                }

                // A plain comment: dropped between statements, kept inside one.
                if (buffer.Length == 0)
                {
                    continue;
                }
            }

            if (section == Section.None)
            {
                if (trimmed.Length > 0)
                {
                    throw Error("SQL found before the '-- +goose Up' annotation.");
                }

                continue;
            }

            if (buffer.Length == 0 && trimmed.Length == 0)
            {
                continue;
            }

            buffer.Append(line).Append('\n');
            if (!inBlock && EndsWithSemicolon(line))
            {
                Flush();
            }
        }

        if (inBlock)
        {
            throw new FormatException($"Migration '{fileName}': '-- +goose StatementBegin' is never closed by '-- +goose StatementEnd'.");
        }

        if (section == Section.None)
        {
            throw new FormatException($"Migration '{fileName}' has no '-- +goose Up' section.");
        }

        Flush();

        return new GooseScript(version, match.Groups[2].Value, up, down, noTransaction) { FileName = fileName };
    }

    // Same rule as goose: the last whitespace-separated word before any "--" comment ends with ';'.
    private static bool EndsWithSemicolon(string line)
    {
        string? last = null;
        foreach (var word in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            last = word;
        }

        return last is not null && last.EndsWith(';');
    }
}
