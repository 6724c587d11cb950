namespace AuditService.Auth;

/// <summary>The Api's roles and claim names, as its tokens carry them.</summary>
public static class Roles
{
    public const string SuperAdmin = "super_admin";
    public const string TenantAdmin = "tenant_admin";
    public const string Member = "member";
    public const string Support = "support";
    public static readonly string[] All = [SuperAdmin, TenantAdmin, Member, Support];
}

public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Name = "name";
    public const string Role = "role";
    public const string Tenant = "tenant_id";
    public const string SupportTenants = "support_tenants";
}
