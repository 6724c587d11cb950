using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Api.Identity;

public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt);

public sealed class TokenService(SigningKeys keys, IOptions<JwtOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public AccessToken Issue(User user, IReadOnlyList<Guid>? supportTenants = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.AccessTokenLifetime;
        var claims = new List<Claim>
        {
            new(TokenClaims.Subject, user.Id.ToString()),
            new(TokenClaims.Email, user.Email),
            new(TokenClaims.Name, user.DisplayName),
            new(TokenClaims.Role, user.Role),
        };
        if (user.TenantId is { } tenant)
        {
            claims.Add(new Claim(TokenClaims.Tenant, tenant.ToString()));
        }

        foreach (var assigned in supportTenants ?? [])
        {
            claims.Add(new Claim(TokenClaims.SupportTenants, assigned.ToString()));
        }

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.RsaSha256),
        });
        return new AccessToken(token, expires);
    }
}
