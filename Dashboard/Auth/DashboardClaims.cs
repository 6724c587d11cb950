using System.Security.Claims;

namespace Dashboard.Auth;

/// <summary>The Dashboard's cookie: its own session id, and the Api token's role and tenants under the same names.</summary>
public static class DashboardClaims
{
    public const string SessionId = "sid";
    public const string Role = TokenClaims.Role;

    public static ClaimsPrincipal ToPrincipal(DashboardSession session)
    {
        var user = session.User;
        var claims = new List<Claim>
        {
            new(SessionId, session.Id),
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Email, user.Email),
            new(Role, user.Role),
        };
        if (user.TenantId is { } tenant)
        {
            claims.Add(new Claim(TokenClaims.Tenant, tenant.ToString()));
        }

        claims.AddRange(user.SupportTenants.Select(t => new Claim(TokenClaims.SupportTenants, t.ToString())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "cookie", ClaimTypes.Name, Role));
    }
}
