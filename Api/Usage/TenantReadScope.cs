using System.Security.Claims;
using Api.Identity;

namespace Api.Usage;

/// <summary>
/// Which tenants a caller may read: super admins all, support staff the tenants assigned to them
/// (one support_tenants claim per tenant id), everyone else their own tenant.
/// </summary>
public sealed record TenantReadScope(bool All, Guid[] Tenants)
{
    /// <summary>The same scope the identity endpoints use (Identity/TenantAccess), as a value to pass around.</summary>
    public static TenantReadScope Of(ClaimsPrincipal user) =>
        user.VisibleTenants() is { } visible ? new TenantReadScope(false, [.. visible.Distinct()]) : new TenantReadScope(true, []);

    public bool Allows(Guid tenantId) => All || Tenants.Contains(tenantId);

    /// <summary>Narrows to one requested tenant; null when that tenant is not readable.</summary>
    public TenantReadScope? Narrow(Guid? tenantId) =>
        tenantId is not { } id ? this : Allows(id) ? new TenantReadScope(false, [id]) : null;
}
