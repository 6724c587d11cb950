using System.Security.Claims;

namespace Api.Identity;

/// <summary>
/// The signed-in user as the Api reads their access token, parsed once per request: an endpoint takes a Caller and
/// minimal APIs bind it (<see cref="BindAsync"/>). <see cref="Scope"/> is what they may read: super admins every tenant,
/// support staff the tenants assigned to them (one support_tenants claim each), everyone else their own tenant.
/// </summary>
public sealed record Caller(Guid UserId, string? Email, string? Name, string Role, Guid? TenantId, TenantScope Scope)
{
    public bool IsSuperAdmin => Role == Roles.SuperAdmin;

    /// <summary>Tenant admins and members: people who act inside their own tenant.</summary>
    public bool IsTenantUser => Role is Roles.TenantAdmin or Roles.Member;

    public bool CanSee(Guid tenant) => Scope.Allows(tenant);

    /// <summary>Changing a tenant (plan, settings, members) is for its admins and the platform's.</summary>
    public bool CanManage(Guid tenant) => IsSuperAdmin || (Role == Roles.TenantAdmin && TenantId == tenant);

    /// <summary>Null for a principal that is not one of the Api's signed-in users (no subject).</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        if (!Guid.TryParse(user.FindFirstValue(TokenClaims.Subject), out var id))
        {
            return null;
        }

        var role = user.FindFirstValue(TokenClaims.Role) ?? "";
        Guid? tenant = Guid.TryParse(user.FindFirstValue(TokenClaims.Tenant), out var t) ? t : null;
        var scope = role switch
        {
            Roles.SuperAdmin => TenantScope.Platform,
            Roles.Support => TenantScope.Of(user.FindAll(TokenClaims.SupportTenants)
                .Select(c => Guid.TryParse(c.Value, out var assigned) ? assigned : Guid.Empty).Where(g => g != Guid.Empty)),
            _ => tenant is { } own ? TenantScope.Of(own) : TenantScope.Of([]),
        };
        return new Caller(id, user.FindFirstValue(TokenClaims.Email), user.FindFirstValue(TokenClaims.Name), role, tenant, scope);
    }

    public static ValueTask<Caller?> BindAsync(HttpContext http) => ValueTask.FromResult(From(http.User));
}
