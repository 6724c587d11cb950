namespace AuditService.ApiKeys;

public static class ApiKeyScopes
{
    public const string Tenant = "tenant";
    public const string Platform = "platform";
}

public static class ApiKeyPermissions
{
    public const string Write = "events:write";
    public const string Read = "events:read";
    public const string Admin = "keys:admin";
    public static readonly string[] All = [Write, Read, Admin];
}

/// <summary>A stored key, without its secret (only the secret's hash is ever stored).</summary>
public sealed record ApiKey(Guid Id, string Name, string Prefix, string Scope, Guid? TenantId, string[] Permissions,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool MayWriteFor(Guid tenantId) => Scope == ApiKeyScopes.Platform || TenantId == tenantId;
}
