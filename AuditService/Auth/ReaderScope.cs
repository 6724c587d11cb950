using System.Security.Claims;
using AuditService.ApiKeys;

namespace AuditService.Auth;

/// <summary>
/// Who reads and what they may see: the tenants (<see cref="Scope"/>, the one <see cref="TenantScope"/> of the request,
/// which its units of work open with), and for a member only the entries they are the actor of. Built once from the
/// bearer token or the API key, never from the request's parameters.
/// </summary>
public sealed record ReaderScope(string Kind, string ActorId, string? ActorName, string? ActorEmail,
    TenantScope Scope, string? OwnActorId, Guid? HomeTenant)
{
    public bool IsAllTenants => Scope.AllTenants;

    public bool MaySee(Guid tenant) => Scope.Allows(tenant);

    /// <summary>Support and super admins read other tenants' logs, and that reading is itself audited.</summary>
    public bool AuditsItsReads => Kind is Roles.Support or Roles.SuperAdmin;

    /// <summary>Narrowed to one requested tenant (no tenant: unchanged); outside the scope, a scope that sees nothing.</summary>
    public TenantScope Narrow(Guid? tenant) => Scope.Narrow(tenant) ?? TenantScope.Of([]);

    /// <summary>The request's reader, built on first use (the authorization policy) and kept with the request.</summary>
    public static ReaderScope? From(HttpContext http)
    {
        if (http.Features.Get<ReaderScope>() is { } built)
        {
            return built;
        }

        var reader = Build(http);
        http.Features.Set(reader);
        return reader;
    }

    private static ReaderScope? Build(HttpContext http)
    {
        if (http.Features.Get<ApiKey>() is { } key)
        {
            return key.Permissions.Contains(ApiKeyPermissions.Read)
                ? new ReaderScope("api_key", key.Id.ToString(), key.Name, null,
                    key.Scope == ApiKeyScopes.Tenant ? TenantScope.Of(key.TenantId!.Value) : TenantScope.Platform, null, key.TenantId)
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
            Roles.SuperAdmin => new ReaderScope(role, sub, name, email, TenantScope.Platform, null, null),
            Roles.TenantAdmin when tenant is { } own => new ReaderScope(role, sub, name, email, TenantScope.Of(own), null, own),
            Roles.Member when tenant is { } own => new ReaderScope(role, sub, name, email, TenantScope.Of(own), sub, own),
            Roles.Support => new ReaderScope(role, sub, name, email,
                TenantScope.Of(user.FindAll(TokenClaims.SupportTenants).Select(c => Guid.TryParse(c.Value, out var g) ? g : Guid.Empty)
                    .Where(g => g != Guid.Empty)), null, null),
            _ => null,
        };
    }
}
