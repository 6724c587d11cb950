namespace AuditService.Queries;

/// <summary>The ordinal of each column of <see cref="AuditQueryReader.Columns"/>.</summary>
public static class AuditColumn
{
    public const int Id = 0, TenantId = 1, Seq = 2, OccurredAt = 3, RecordedAt = 4, ActorType = 5, ActorId = 6, ActorName = 7,
        ActorEmail = 8, Action = 9, Category = 10, Severity = 11, ResourceType = 12, ResourceId = 13, ResourceName = 14,
        Description = 15, Before = 16, After = 17, Metadata = 18, ErrorMessage = 19, ErrorStack = 20, IpAddress = 21,
        UserAgent = 22, TraceId = 23, SpanId = 24, SourceService = 25, Hash = 26, PrevHash = 27;
}
