using System.Text.Json;
using Audit.Contracts;

namespace AuditIngest.Bench;

/// <summary>The same event shape for all three ways of writing (about 650 bytes stored).</summary>
public static class BenchEvents
{
    public static readonly JsonElement After = JsonSerializer.SerializeToElement(new { name = "Big deal", value = 1250.50, stage = "qualified", tags = new[] { "inbound", "q3" } });

    public static AuditEventDto New(Guid tenant, int i) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenant,
        OccurredAt = DateTimeOffset.UtcNow,
        Actor = new ActorDto { Type = "human", Id = "user-1234", Name = "Ada Lovelace", Email = "ada@example.com" },
        Action = "lead.updated",
        Category = "activity",
        Severity = "info",
        Resource = new ResourceDto { Type = "lead", Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), Name = "Big deal" },
        Description = "Lead moved to qualified by Ada Lovelace",
        After = After,
        IpAddress = "203.0.113.7",
        UserAgent = "Mozilla/5.0 (X11; Linux x86_64) bench",
        TraceId = "0af7651916cd43dd8448eb211c80319c",
        SpanId = "b7ad6b7169203331",
        SourceService = "bench",
    };
}
