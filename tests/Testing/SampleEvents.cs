using System.Globalization;
using Audit.Contracts;

namespace Testing;

/// <summary>Audit events for tests that load AuditService: small, valid, each with a new id.</summary>
public static class SampleEvents
{
    /// <summary>The <paramref name="i"/>-th event of one writer of a load, in the tenant's activity log.</summary>
    public static AuditEventDto Load(Guid tenant, int writer, int i, string source, string severity = "info") => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenant,
        OccurredAt = DateTimeOffset.UtcNow,
        Actor = new ActorDto { Type = "system", Id = $"writer-{writer}" },
        Action = "load.event",
        Category = "activity",
        Severity = severity,
        Resource = new ResourceDto { Type = "item", Id = i.ToString(CultureInfo.InvariantCulture) },
        Description = $"{source} load",
        Metadata = System.Text.Json.JsonSerializer.SerializeToElement(new { writer, i }),
        SourceService = source,
    };
}
