using System.Security.Claims;
using AuditService.ApiKeys;

namespace AuditService.Auth;

/// <summary>
/// Who reads and what they may see: the tenants (null = every tenant), and for a member only the
/// entries they are the actor of. Built from the bearer token or the API key, never from the request.
/// </summary>
public sealed record ReaderScope(string Kind, string ActorId, string? ActorName, string? ActorEmail,
    IReadOnlyCollection<Guid>? Tenants, string? OwnActorId, Guid? HomeTenant)
{
    public bool IsAllTenants => Tenants is null;

    public bool MaySee(Guid tenant) => Tenants is null || Tenants.Contains(tenant);

    /// <summary>Support and super admins read other tenants' logs, and that reading is itself audited.</summary>
    public bool AuditsItsReads => Kind is Roles.Support or Roles.SuperAdmin;

    /// <summary>Narrows to one tenant; outside the scope the result is the empty scope, which sees nothing.</summary>
    public IReadOnlyCollection<Guid>? Narrow(Guid? tenant) =>
        tenant is not { } t ? Tenants : MaySee(t) ? [t] : [];

    public static ReaderScope? From(HttpContext http)
    {
        if (http.Features.Get<ApiKey>() is { } key)
        {
            return key.Permissions.Contains(ApiKeyPermissions.Read)
                ? new ReaderScope("api_key", key.Id.ToString(), key.Name, null,
                    key.Scope == ApiKeyScopes.Tenant ? [key.TenantId!.Value] : null, null, key.TenantId)
                : null;
        }

        return FromToken(http.User);
    }

    public static ReaderScope? FromToken(ClaimsPrincipal user)
    {
        var sub = user.FindFirst(TokenClaims.Subject)?.Value;
        var role = user.FindFirst(TokenClaims.Role)?.Value;
        if (string.IsNullOrEmpty(sub) || role is null)
        {
            return null;
        }

        var name = user.FindFirst(TokenClaims.Name)?.Value;
        var email = user.FindFirst(TokenClaims.Email)?.Value;
        Guid? tenant = Guid.TryParse(user.FindFirst(TokenClaims.Tenant)?.Value, out var t) ? t : null;
        return role switch
        {
            Roles.SuperAdmin => new ReaderScope(role, sub, name, email, null, null, null),
            Roles.TenantAdmin when tenant is { } own => new ReaderScope(role, sub, name, email, [own], null, own),
            Roles.Member when tenant is { } own => new ReaderScope(role, sub, name, email, [own], sub, own),
            Roles.Support => new ReaderScope(role, sub, name, email,
                user.FindAll(TokenClaims.SupportTenants).Select(c => Guid.TryParse(c.Value, out var g) ? g : Guid.Empty)
                    .Where(g => g != Guid.Empty).Distinct().ToArray(), null, null),
            _ => null,
        };
    }
}
