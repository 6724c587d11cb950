namespace AuditService.Queries;

public sealed class QueryServices(AuditQueryReader reader, ReadAuditor auditor, TimeProvider clock)
{
    public AuditQueryReader Reader { get; } = reader;
    public ReadAuditor Auditor { get; } = auditor;
    public TimeProvider Clock { get; } = clock;
}
