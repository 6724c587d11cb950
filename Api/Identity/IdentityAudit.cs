namespace Api.Identity;

/// <summary>Audit records of sign-in events; IP address and user agent are filled from the request by the audit client.</summary>
public static class IdentityAudit
{
    public static void RecordUser(this IAuditLog audit, string action, User user, string description, string severity = "info", object? after = null) =>
        audit.Record(new AuditRecord
        {
            Action = action,
            Severity = severity,
            TenantId = user.TenantId ?? AuditTenants.Platform,
            Actor = Actor(user),
            ResourceType = "user",
            ResourceId = user.Id.ToString(),
            ResourceName = user.Email,
            Description = description,
            After = after,
        });

    public static AuditActor Actor(User user) => new("human", user.Id.ToString(), user.DisplayName, user.Email);
}
