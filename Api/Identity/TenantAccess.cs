using System.Security.Claims;

namespace Api.Identity;

/// <summary>What a signed-in user may see and change, read from the access token's claims.</summary>
public static class TenantAccess
{
    /// <summary>The tenants the user may see; null means every tenant (super admins).</summary>
    public static IReadOnlyCollection<Guid>? VisibleTenants(this ClaimsPrincipal user)
    {
        if (user.IsInRole(Roles.SuperAdmin))
        {
            return null;
        }

        if (user.IsInRole(Roles.Support))
        {
            return [.. user.FindAll(TokenClaims.SupportTenants).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)];
        }

        return user.TenantId() is { } own ? [own] : [];
    }

    public static Guid? TenantId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(TokenClaims.Tenant), out var id) ? id : null;

    public static Guid? UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(TokenClaims.Subject), out var id) ? id : null;

    public static bool CanSee(this ClaimsPrincipal user, Guid tenant) => user.VisibleTenants() is not { } visible || visible.Contains(tenant);

    /// <summary>Changing a tenant (plan, settings, members) is for its admins and the platform's.</summary>
    public static bool CanManage(this ClaimsPrincipal user, Guid tenant) =>
        user.IsInRole(Roles.SuperAdmin) || (user.IsInRole(Roles.TenantAdmin) && user.TenantId() == tenant);
}
