namespace Audit.Client;

/// <summary>Used when AuditClient:Enabled is false (benchmark baselines): records nothing.</summary>
internal sealed class DisabledAuditLog : IAuditLog
{
    public Guid Record(AuditRecord record) => Guid.CreateVersion7();
}
