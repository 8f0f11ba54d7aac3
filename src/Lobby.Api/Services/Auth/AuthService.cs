using Lobby.Api.Data;
using Lobby.Api.Config;
using Lobby.Api.Data.Auth;
using Lobby.Api.Security;
using Lobby.Api.Services.Limits;
using Lobby.Api.Store;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Lobby.Api.Services.Auth;

/// <summary>Accounts and sessions: register, sign in, refresh, sign out, list and end sessions.</summary>
internal sealed class AuthService(
    Database database,
    PasswordHashingGate hashing,
    AccessTokenIssuer accessTokens,
    RefreshTokens refreshTokens,
    SessionCheck sessionCheck,
    SignInRateLimiter rateLimiter,
    UserActionLimiter limiter,
    IOptions<LobbyOptions> options,
    ILogger<AuthService> logger)
{
    private const string BadCredentials = "Email or password is incorrect.";
    private const string BadRefreshToken = "The refresh token is invalid, expired or already used.";

    private AuthSettings Settings => options.Value.Auth;

    public async Task<AuthResponse> RegisterAsync(string? email, string? password, string? displayName, ClientInfo client, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (cleanEmail, emailError) = CredentialRules.Email(email);
        var (cleanName, nameError) = CredentialRules.DisplayName(displayName);
        var passwordError = CredentialRules.Password(password, cleanEmail ?? email);
        AddError(errors, "email", emailError);
        AddError(errors, "password", passwordError);
        AddError(errors, "displayName", nameError);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var key = CredentialRules.EmailKey(cleanEmail!);
        await rateLimiter.AcquireAsync(key, client.Ip, ct);
        var hash = await hashing.HashAsync(password!, ct);
        return await database.InTransactionAsync(async (db, tx) =>
        {
            UserRow user;
            try
            {
                user = await UserQueries.InsertAsync(db, tx, Ids.NewId(), cleanEmail!, key, cleanName!, hash, Roles.User, ct);
            }
            catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex, UserQueries.UniqueEmailConstraint)
                || PostgresErrors.IsUniqueViolation(ex, UserQueries.UniqueLowerEmailConstraint))
            {
                throw new ConflictException("An account with this email already exists.");
            }

            return await StartSessionAsync(db, tx, user, client, ct);
        }, ct);
    }

    public async Task<AuthResponse> LoginAsync(string? email, string? password, ClientInfo client, CancellationToken ct)
    {
        var trimmed = email?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        AddError(errors, "email", trimmed.Length == 0 ? "Email is required." : trimmed.Length > CredentialRules.MaxEmailLength ? "Email is too long." : null);
        AddError(errors, "password", string.IsNullOrEmpty(password) ? "Password is required."
            : password.Length > CredentialRules.MaxPasswordLength * 2 ? "Password is too long." : null);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var key = CredentialRules.EmailKey(trimmed);
        await rateLimiter.AcquireAsync(key, client.Ip, ct);
        var found = await database.WithConnectionAsync(db => UserQueries.FindByEmailAsync(db, null, trimmed, key, ct), ct);
        var user = found?.User;
        // Unknown emails are checked against a dummy hash: both failures cost the same time.
        var check = await hashing.VerifyAsync(password!, user?.PasswordHash, ct);
        if (user is null || check == PasswordCheck.Mismatch || user.Disabled)
        {
            throw new UnauthorizedException(BadCredentials);
        }

        if (found!.NeedsKey)
        {
            await KeyLegacyEmailAsync(user.Id, key, ct);
        }

        if (check == PasswordCheck.MatchNeedsRehash)
        {
            var rehashed = await hashing.HashAsync(password!, ct);
            await database.WithConnectionAsync(async db => { await UserQueries.UpdatePasswordHashAsync(db, null, user.Id, rehashed, ct); return true; }, ct);
            logger.LogInformation("Rehashed password of user {UserId} at the current cost", user.Id);
        }

        return await database.InTransactionAsync((db, tx) => StartSessionAsync(db, tx, user, client, ct), ct);
    }

    public async Task<AuthResponse> RefreshAsync(string? refreshToken, CancellationToken ct)
    {
        // A missing field is the caller's mistake, named like any other; a wrong token is a 401.
        if (refreshToken is null)
        {
            throw ValidationFailedException.For("refreshToken", "refreshToken is required.");
        }

        if (!RefreshTokens.LooksValid(refreshToken))
        {
            throw new UnauthorizedException(BadRefreshToken);
        }

        var token = refreshToken!;
        var outcome = await database.InTransactionAsync(async (db, tx) =>
        {
            var row = await SessionQueries.FindTokenForUpdateAsync(db, tx, RefreshTokens.Hash(token), Settings.RefreshReuseGrace, Settings.SessionIdleTimeout, ct);
            if (row is null || !row.SessionActive || row.Disabled)
            {
                return new RefreshOutcome(row, null, false);
            }

            var successor = refreshTokens.SuccessorOf(token);
            var successorHash = RefreshTokens.Hash(successor);
            if (!row.Rotated)
            {
                await SessionQueries.MarkRotatedAsync(db, tx, RefreshTokens.Hash(token), ct);
                await SessionQueries.InsertRefreshTokenAsync(db, tx, successorHash, row.SessionId, ct);
                await SessionQueries.TouchAsync(db, tx, row.SessionId, ct);
                return new RefreshOutcome(row, successor, false);
            }

            // A second tab refreshing with the same token moments later gets the same successor,
            // as long as that successor has not itself been used: still one chain.
            if (row.WithinGrace && await SessionQueries.IsRotatedAsync(db, tx, successorHash, row.SessionId, ct) == false)
            {
                await SessionQueries.TouchAsync(db, tx, row.SessionId, ct);
                return new RefreshOutcome(row, successor, false);
            }

            // A rotated token presented again means it leaked: end the whole session.
            await SessionQueries.RevokeAsync(db, tx, row.SessionId, row.UserId, "refresh token reuse", ct);
            return new RefreshOutcome(row, null, true);
        }, ct);

        if (outcome.Reused)
        {
            sessionCheck.Evict(outcome.Row!.SessionId);
            logger.LogWarning("Refresh token reuse on session {SessionId}; session revoked", outcome.Row.SessionId);
        }

        if (outcome.Successor is null)
        {
            throw new UnauthorizedException(BadRefreshToken);
        }

        var r = outcome.Row!;
        return Respond(new UserProfile(r.UserId, r.Email, r.DisplayName, r.Role, r.CreatedAt), r.SessionId, outcome.Successor);
    }

    public async Task LogoutAsync(Guid userId, Guid sessionId, CancellationToken ct)
    {
        await database.WithConnectionAsync(db => SessionQueries.RevokeAsync(db, null, sessionId, userId, "logout", ct), ct);
        sessionCheck.Evict(sessionId);
    }

    public async Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(Guid userId, Guid currentSessionId, CancellationToken ct)
    {
        await limiter.AcquireAsync(userId, UserAction.ManageSessions, ct);
        var rows = await database.WithConnectionAsync(db => SessionQueries.ListActiveAsync(db, userId, Settings.SessionIdleTimeout, ct), ct);
        return [.. rows.Select(s => new SessionInfo(s.Id, s.UserAgent, s.Ip, s.CreatedAt, s.LastUsedAt, s.Id == currentSessionId))];
    }

    public async Task RevokeSessionAsync(Guid userId, Guid sessionId, CancellationToken ct)
    {
        await limiter.AcquireAsync(userId, UserAction.ManageSessions, ct);
        var revoked = await database.WithConnectionAsync(db => SessionQueries.RevokeAsync(db, null, sessionId, userId, "revoked by user", ct), ct);
        if (!revoked)
        {
            // Someone else's session and a missing one look the same.
            throw new NotFoundException("No active session with this id.");
        }

        sessionCheck.Evict(sessionId);
    }

    /// <summary>A row from before email keys (non-ASCII, so SQL could not key it) gets its key at its owner's sign-in.</summary>
    private async Task KeyLegacyEmailAsync(Guid userId, string key, CancellationToken ct)
    {
        try
        {
            await database.WithConnectionAsync(async db => { await UserQueries.SetEmailKeyAsync(db, null, userId, key, ct); return true; }, ct);
        }
        catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex, UserQueries.UniqueEmailConstraint))
        {
            // Another account already has this key: a look-alike made before normalisation. Keep signing in the old way.
            logger.LogWarning("User {UserId} shares its email key with another account; left unkeyed", userId);
        }
    }

    private async Task<AuthResponse> StartSessionAsync(NpgsqlConnection db, NpgsqlTransaction tx, UserRow user, ClientInfo client, CancellationToken ct)
    {
        var sessionId = Ids.NewId();
        var refresh = RefreshTokens.NewToken();
        await SessionQueries.InsertSessionAsync(db, tx, sessionId, user.Id, Clip(client.UserAgent, 256), Clip(client.Ip, 64), Settings.SessionAbsoluteLifetime, ct);
        await SessionQueries.InsertRefreshTokenAsync(db, tx, RefreshTokens.Hash(refresh), sessionId, ct);
        return Respond(new UserProfile(user.Id, user.Email, user.DisplayName, user.Role, user.CreatedAt), sessionId, refresh);
    }

    private AuthResponse Respond(UserProfile user, Guid sessionId, string refreshToken)
    {
        var access = accessTokens.Issue(user.Id, sessionId, user.Role);
        return new AuthResponse(access.Token, refreshToken, access.ExpiresInSeconds, user);
    }

    private static void AddError(Dictionary<string, string[]> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = [error];
        }
    }

    private sealed record RefreshOutcome(RefreshTokenLookup? Row, string? Successor, bool Reused);

    private static string? Clip(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];
}
