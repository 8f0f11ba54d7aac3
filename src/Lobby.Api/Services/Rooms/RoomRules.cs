namespace Lobby.Api.Services.Rooms;

/// <summary>Input rules for rooms and messages.</summary>
internal static class RoomRules
{
    public const int MaxNameLength = 80;
    public const int MaxTopicLength = 500;
    public const int MaxBodyLength = 4000;
    public const int MaxIdempotencyKeyLength = 200;

    public static string Name(string? raw, Dictionary<string, string[]> errors)
    {
        var name = raw?.Trim() ?? "";
        var error = name.Length == 0 ? "Name is required."
            : TextRules.Malformed(name) is { } bad ? "Name " + bad
            : TextRules.Length(name) > MaxNameLength ? $"Name must be at most {MaxNameLength} characters."
            : null;
        Add(errors, "name", error);
        return name;
    }

    public static string Topic(string? raw, Dictionary<string, string[]> errors)
    {
        var topic = raw?.Trim() ?? "";
        var error = TextRules.Malformed(topic) is { } bad ? "Topic " + bad
            : TextRules.Length(topic) > MaxTopicLength ? $"Topic must be at most {MaxTopicLength} characters."
            : null;
        Add(errors, "topic", error);
        return topic;
    }

    public static string Visibility(string? raw, Dictionary<string, string[]> errors)
    {
        var visibility = raw?.Trim().ToLowerInvariant();
        Add(errors, "visibility", visibility is RoomPermissions.Public or RoomPermissions.Private ? null : "Visibility must be public or private.");
        return visibility ?? "";
    }

    /// <summary>The body as sent (line breaks kept), or a validation failure.</summary>
    public static string Body(string? raw)
    {
        var error = string.IsNullOrWhiteSpace(raw) ? "Body must not be empty."
            : TextRules.Malformed(raw, allowLineBreaks: true, allowFormatCharacters: true) is { } bad ? "Body " + bad
            : TextRules.HasBidiControl(raw) ? "Body contains a bidirectional override or isolate character (U+202A-U+202E, U+2066-U+2069)."
            : TextRules.Length(raw) > MaxBodyLength ? $"Body must be at most {MaxBodyLength} characters."
            : null;
        return error is null ? raw! : throw ValidationFailedException.For("body", error);
    }

    /// <summary>An Idempotency-Key header: up to 200 visible ASCII characters.</summary>
    public static string? IdempotencyKey(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        return raw.Length is > 0 and <= MaxIdempotencyKeyLength && raw.All(c => c is > ' ' and <= '~')
            ? raw
            : throw ValidationFailedException.For("Idempotency-Key", $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters.");
    }

    public static void ThrowIfAny(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }

    private static void Add(Dictionary<string, string[]> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = [error];
        }
    }
}
