namespace Api.Tenants;

public static class TenantAudit
{
    /// <summary>A change to a tenant or its members, with the state before and after; the actor is the signed-in user.</summary>
    public static void RecordTenantChange(this IAuditLog audit, string action, Guid tenantId, string resourceName, string description,
        object? before, object? after, string resourceType = "tenant", string? resourceId = null) =>
        audit.Record(new AuditRecord
        {
            Action = action,
            TenantId = tenantId,
            ResourceType = resourceType,
            ResourceId = resourceId ?? tenantId.ToString(),
            ResourceName = resourceName,
            Description = description,
            Before = before,
            After = after,
        });
}
