using Lobby.Api.Data;
using Lobby.Api.Config;
using Lobby.Api.Data.Auth;
using Lobby.Api.Security;
using Lobby.Api.Services.Accounts;
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
    AccountMailer mailer,
    IOptions<LobbyOptions> options,
    ILogger<AuthService> logger)
{
    private const string BadCredentials = "Email or password is incorrect.";
    private const string BadRefreshToken = "The refresh token is invalid, expired or already used.";

    private AuthSettings Settings => options.Value.Auth;

    /// <summary>What registration answers while addresses must be confirmed: byte for byte the same for new and taken ones.</summary>
    public static readonly PendingRegistration Pending = new("verification_required",
        "Check your email: we sent a link to confirm the address. If the address already has an account, we told its owner instead.");

    /// <summary>Creates the account; signed in at once, or (REQUIRE_EMAIL_VERIFICATION) only a pending answer.</summary>
    public async Task<RegisterOutcome> RegisterAsync(string? email, string? password, string? displayName, ClientInfo client, CancellationToken ct)
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
        // Hashed whether or not the address is taken: both answers cost the same time.
        var hash = await hashing.HashAsync(password!, ct);
        if (mailer.VerificationRequired)
        {
            return new RegisterOutcome(null, await RegisterPendingAsync(cleanEmail!, key, cleanName!, hash, ct));
        }

        var signedIn = await database.InTransactionAsync(async (db, tx) =>
        {
            UserRow user;
            try
            {
                user = await UserQueries.InsertAsync(db, tx, Ids.NewId(), cleanEmail!, key, cleanName!, hash, Roles.User, ct);
            }
            catch (PostgresException ex) when (IsTakenEmail(ex))
            {
                throw new ConflictException("An account with this email already exists.");
            }

            if (mailer.Enabled)
            {
                await mailer.QueueVerificationAsync(db, tx, user.Id, user.Email, user.DisplayName, ct);
            }

            return await StartSessionAsync(db, tx, user, client, ct);
        }, ct);
        mailer.Sent();
        return new RegisterOutcome(signedIn, null);
    }

    /// <summary>
    /// With verification required nobody is signed in by registering, so the answer can be the same for
    /// every address: a new one gets a verification link, a taken one's owner a "someone tried" mail.
    /// </summary>
    private async Task<PendingRegistration> RegisterPendingAsync(string email, string key, string name, string hash, CancellationToken ct)
    {
        var allowed = await mailer.AllowAsync(key, ct);
        try
        {
            await database.InTransactionAsync(async (db, tx) =>
            {
                var existing = await UserQueries.FindByEmailAsync(db, tx, email, key, ct);
                if (existing is not null)
                {
                    if (allowed && !existing.Disabled)
                    {
                        await mailer.QueueAlreadyRegisteredAsync(db, tx, existing.Id, existing.Email, existing.DisplayName, ct);
                    }

                    return;
                }

                var user = await UserQueries.InsertAsync(db, tx, Ids.NewId(), email, key, name, hash, Roles.User, ct);
                if (allowed)
                {
                    await mailer.QueueVerificationAsync(db, tx, user.Id, user.Email, user.DisplayName, ct);
                }
            }, ct);
        }
        catch (PostgresException ex) when (IsTakenEmail(ex))
        {
            // Registered by a concurrent request a moment ago: that one sent the mail.
        }

        mailer.Sent();
        return Pending;
    }

    private static bool IsTakenEmail(PostgresException ex) =>
        PostgresErrors.IsUniqueViolation(ex, UserQueries.UniqueEmailConstraint) || PostgresErrors.IsUniqueViolation(ex, UserQueries.UniqueLowerEmailConstraint);

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

        if (mailer.VerificationRequired && !user.EmailVerified)
        {
            // The password was right, so saying why reveals nothing; a fresh link helps whoever lost the first.
            if (await mailer.AllowAsync(key, ct))
            {
                await database.InTransactionAsync((db, tx) => mailer.QueueVerificationAsync(db, tx, user.Id, user.Email, user.DisplayName, ct), ct);
                mailer.Sent();
            }

            throw new ForbiddenException("Confirm your email address first: open the link we sent to it (a new one is on its way).");
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
        return Respond(new UserProfile(r.UserId, r.Email, r.DisplayName, r.Role, r.CreatedAt, r.EmailVerified), r.SessionId, outcome.Successor);
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

    /// <summary>Sign out everywhere: ends every session of the user, or every other one with <paramref name="keepCurrent"/>.</summary>
    public async Task<EndedSessions> EndAllSessionsAsync(Guid userId, Guid currentSessionId, bool keepCurrent, CancellationToken ct)
    {
        await limiter.AcquireAsync(userId, UserAction.ManageSessions, ct);
        var revoked = await database.WithConnectionAsync(
            db => SessionQueries.RevokeAllOfUserAsync(db, null, userId, keepCurrent ? currentSessionId : null, "signed out everywhere", ct), ct);
        sessionCheck.Evict(revoked);
        return new EndedSessions(revoked.Count);
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
        return Respond(new UserProfile(user.Id, user.Email, user.DisplayName, user.Role, user.CreatedAt, user.EmailVerified), sessionId, refresh);
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
