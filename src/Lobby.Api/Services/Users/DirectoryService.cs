using Lobby.Api.Data.Users;
using Lobby.Api.Services.Auth;
using Lobby.Api.Services.Limits;
using Lobby.Api.Store;

namespace Lobby.Api.Services.Users;

/// <summary>
/// The user directory, safe against scraping: an exact email (which one must already know) finds
/// one person, a name prefix finds only people one shares a room with; every look-up counts
/// against a low per-user limit, and no answer carries an email.
/// </summary>
internal sealed class DirectoryService(Database database, UserActionLimiter limiter)
{
    public const int MaxResults = 20;
    private const int MaxPrefixLength = 64;

    public async Task<Page<UserSummary>> FindAsync(Guid userId, string? email, string? prefix, CancellationToken ct)
    {
        if (email is not null && prefix is not null)
        {
            throw ValidationFailedException.For("email", "Give email or prefix, not both.");
        }

        if (email is not null)
        {
            var (clean, error) = CredentialRules.Email(email);
            if (error is not null)
            {
                throw ValidationFailedException.For("email", error);
            }

            await limiter.AcquireAsync(userId, UserAction.FindPeople, ct);
            var row = await database.WithConnectionAsync(db => DirectoryQueries.FindByEmailAsync(db, clean!, CredentialRules.EmailKey(clean!), ct), ct);
            return new Page<UserSummary>(row is null ? [] : [new UserSummary(row.Id, row.DisplayName)], null);
        }

        var text = prefix?.Trim() ?? "";
        var problem = text.Length == 0 ? "Give email (exact) or prefix (the start of a display name)."
            : TextRules.Malformed(text) is { } bad ? "prefix " + bad
            : TextRules.Length(text) > MaxPrefixLength ? $"prefix must be at most {MaxPrefixLength} characters."
            : null;
        if (problem is not null)
        {
            throw ValidationFailedException.For("prefix", problem);
        }

        await limiter.AcquireAsync(userId, UserAction.FindPeople, ct);
        var rows = await database.WithConnectionAsync(db => DirectoryQueries.SharingARoomAsync(db, userId, text, MaxResults, ct), ct);
        return new Page<UserSummary>([.. rows.Select(r => new UserSummary(r.Id, r.DisplayName))], null);
    }
}
