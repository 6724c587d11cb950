using System.ComponentModel.DataAnnotations;
using Audit.Contracts;

namespace Audit.Client;

public sealed class AuditClientOptions
{
    public const string SectionName = "AuditClient";

    /// <summary>Where AuditService is; service discovery resolves the name.</summary>
    [Required]
    public Uri Endpoint { get; set; } = new($"https+http://{ServiceNames.AuditService}");

    [Required]
    public string ApiKey { get; set; } = "";

    /// <summary>The name stored as the events' source service.</summary>
    public string? SourceService { get; set; }

    [Range(1, 5000)]
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>
    /// How long the sender lets events gather before it sends a batch that is not full. AuditService and PostgreSQL pay
    /// per request and per commit, so a busy service sending every few events spends more on auditing than on its own
    /// work (docs/benchmarks.md); a short wait makes the batches larger. It delays only when the event reaches
    /// AuditService, never the request that recorded it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Events held in memory waiting to be sent.</summary>
    [Range(100, 10_000_000)]
    public int MemoryQueueCapacity { get; set; } = 100_000;

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one send may take before it counts as failed (and the batch goes to disk).</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The on-disk queue: batches AuditService could not take yet, kept here until it acknowledges them,
    /// across restarts. Defaults to <c>audit-spill</c> under the content root.
    /// </summary>
    public string? SpillDirectory { get; set; }

    /// <summary>The disk cap of the spill folder; beyond it events are dropped and an error is logged.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxSpillBytes { get; set; } = 512L * 1024 * 1024;
}
