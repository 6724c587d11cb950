namespace AuditService.ApiKeys;

/// <summary>A stored key, without its secret (only the secret's hash is ever stored).</summary>
public sealed record ApiKey(Guid Id, string Name, string Prefix, string Scope, Guid? TenantId, string[] Permissions,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool MayWriteFor(Guid tenantId) => Scope == ApiKeyScopes.Platform || TenantId == tenantId;
}
