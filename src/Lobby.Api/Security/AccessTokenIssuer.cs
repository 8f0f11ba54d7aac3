using System.Security.Claims;
using Lobby.Api.Config;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.Api.Security;

internal sealed record AccessToken(string Token, int ExpiresInSeconds);

/// <summary>Mints short-lived RS256 access tokens carrying the session id, so a revoked session can be refused.</summary>
internal sealed class AccessTokenIssuer(SigningKeyRing keys, IOptions<LobbyOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AccessToken Issue(Guid userId, Guid sessionId, string role)
    {
        var auth = options.Value.Auth;
        var now = clock.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + auth.AccessTokenLifetime,
            SigningCredentials = keys.Credentials,
            Subject = new ClaimsIdentity(
            [
                new Claim(LobbyClaims.Subject, userId.ToString()),
                new Claim(LobbyClaims.Session, sessionId.ToString()),
                new Claim(LobbyClaims.Role, role),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.CreateVersion7().ToString("N")),
            ]),
        });
        return new AccessToken(token, (int)auth.AccessTokenLifetime.TotalSeconds);
    }
}
