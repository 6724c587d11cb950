using System.Security.Claims;

namespace Dashboard.Auth;

public static class DashboardClaims
{
    public const string SessionId = "sid";
    public const string Role = "role";
    public const string Tenant = "tenant_id";
    public const string SupportTenant = "support_tenants";

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
            claims.Add(new Claim(Tenant, tenant.ToString()));
        }

        claims.AddRange(user.SupportTenants.Select(t => new Claim(SupportTenant, t.ToString())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "cookie", ClaimTypes.Name, Role));
    }
}
