using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.Api.Security;

/// <summary>
/// JsonWebTokenHandler that remembers tokens it validated, until they expire: a client sends the
/// same access token with every request for its whole lifetime, and the RS256 check is most of an
/// authenticated request's CPU (≈ 55 µs with a 3,072-bit key, docs/PERFORMANCE.md). Keyed by a
/// SHA-256 of the whole token, so a token differing in any byte is validated afresh. Only
/// successes are kept; the session check (revocation, disabled users, role changes) still runs
/// on every request, after this. Bounded by ACCESS_TOKEN_CACHE_ENTRIES.
/// </summary>
internal sealed class CachingTokenHandler(int capacity, TimeProvider clock) : JsonWebTokenHandler
{
    private readonly ConcurrentDictionary<(long, long, long, long), Entry> _validated = new();

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (capacity == 0 || string.IsNullOrEmpty(token) || token.Length > MaximumTokenSizeInBytes)
        {
            return await base.ValidateTokenAsync(token, validationParameters);
        }

        var key = KeyOf(token);
        var now = clock.GetUtcNow().UtcDateTime;
        if (_validated.TryGetValue(key, out var hit))
        {
            if (now < hit.ValidTo)
            {
                return Copy(hit.Result);
            }

            _validated.TryRemove(key, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt && jwt.ValidTo > now)
        {
            if (_validated.Count >= capacity)
            {
                Sweep(now);
            }

            if (_validated.Count < capacity)
            {
                _validated[key] = new Entry(result, jwt.ValidTo);
            }
        }

        return result;
    }

    /// <summary>Each request gets its own identity: handlers and events may add claims to it.</summary>
    private static TokenValidationResult Copy(TokenValidationResult cached) => new()
    {
        IsValid = true,
        ClaimsIdentity = cached.ClaimsIdentity.Clone(),
        SecurityToken = cached.SecurityToken,
        TokenType = cached.TokenType,
        Issuer = cached.Issuer,
    };

    private void Sweep(DateTime now)
    {
        foreach (var (key, entry) in _validated)
        {
            if (entry.ValidTo <= now)
            {
                _validated.TryRemove(key, out _);
            }
        }
    }

    private static (long, long, long, long) KeyOf(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetBytes(token);
        SHA256.HashData(bytes, hash);
        var longs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(hash);
        return (longs[0], longs[1], longs[2], longs[3]);
    }

    private sealed record Entry(TokenValidationResult Result, DateTime ValidTo);
}
