using System.Security.Claims;
using Api.Identity;

namespace Api.Usage;

/// <summary>
/// Which tenants a caller may read: super admins all, support staff the tenants assigned to them
/// (one support_tenants claim per tenant id), everyone else their own tenant.
/// </summary>
public sealed record TenantAccess(bool All, Guid[] Tenants)
{
    public const string SupportTenantsClaim = "support_tenants";

    public static TenantAccess Of(ClaimsPrincipal user)
    {
        if (user.IsInRole(Roles.SuperAdmin))
        {
            return new TenantAccess(true, []);
        }

        var claims = user.IsInRole(Roles.Support)
            ? user.FindAll(SupportTenantsClaim).Select(c => c.Value)
            : user.FindAll(ClaimNames.Tenant).Select(c => c.Value);
        return new TenantAccess(false, [.. claims.Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct()]);
    }

    public bool Allows(Guid tenantId) => All || Tenants.Contains(tenantId);

    /// <summary>Narrows to one requested tenant; null when that tenant is not readable.</summary>
    public TenantAccess? Narrow(Guid? tenantId) =>
        tenantId is not { } id ? this : Allows(id) ? new TenantAccess(false, [id]) : null;
}
