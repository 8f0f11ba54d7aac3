using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Lobby.Api.Services;

/// <summary>A keyset page request: rows after the cursor's key, at most Limit of them.</summary>
internal sealed record PageRequest(Guid? After, int Limit);

/// <summary>One page and the opaque cursor of the next, null on the last page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Keyset pagination over UUIDv7 ids. Ids grow with time and are unique, so paging by id stays
/// correct while rows are inserted: no row shows twice and no existing row is skipped.
/// </summary>
internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static PageRequest Parse(string? cursor, string? limit)
    {
        var errors = new Dictionary<string, string[]>();
        var size = DefaultLimit;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
        }

        Guid? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            after = Decode(cursor);
            if (after is null)
            {
                errors["cursor"] = ["cursor is not one this API returned; start again without it."];
            }
        }

        return errors.Count > 0 ? throw new ValidationFailedException(errors) : new PageRequest(after, size);
    }

    /// <summary>Builds a page from rows fetched with Limit + 1, the extra row only telling that more exist.</summary>
    public static Page<T> Build<T>(IReadOnlyList<T> rows, int limit, Func<T, Guid> key)
    {
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }

        var items = rows.Take(limit).ToList();
        return new Page<T>(items, Encode(key(items[^1])));
    }

    public static string Encode(Guid id) => WebEncoders.Base64UrlEncode(id.ToByteArray(bigEndian: true));

    private static Guid? Decode(string cursor)
    {
        if (cursor.Length != 22)
        {
            return null;
        }

        try
        {
            var bytes = WebEncoders.Base64UrlDecode(cursor);
            return bytes.Length == 16 ? new Guid(bytes, bigEndian: true) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
