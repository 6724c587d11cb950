using System.ComponentModel.DataAnnotations;

namespace Audit.Client;

public sealed class AuditClientOptions
{
    public const string SectionName = "AuditClient";

    /// <summary>Where AuditService is; service discovery resolves the name.</summary>
    [Required]
    public Uri Endpoint { get; set; } = new("https+http://auditservice");

    [Required]
    public string ApiKey { get; set; } = "";

    /// <summary>The name stored as the events' source service.</summary>
    public string? SourceService { get; set; }

    [Range(1, 5000)]
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>Events held in memory waiting to be sent.</summary>
    [Range(100, 10_000_000)]
    public int MemoryQueueCapacity { get; set; } = 100_000;

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
