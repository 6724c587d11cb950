namespace AuditService.Ingestion;

public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Events waiting for a commit beyond this are refused with 429 instead of growing memory.</summary>
    [Range(100, 10_000_000)]
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>
    /// Writer connections, each committing the groups of its own share of tenants. Two keep both of a small
    /// machine's cores busy in PostgreSQL while one lane waits on its fsync.
    /// </summary>
    [Range(1, 16)]
    public int WriterConnections { get; set; } = 2;

    /// <summary>The most events one group commit takes.</summary>
    [Range(1, 100_000)]
    public int MaxBatchEvents { get; set; } = 5_000;

    /// <summary>The largest request body, compressed or not.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    [Range(1, 100_000)]
    public int MaxEventsPerRequest { get; set; } = 5_000;

    /// <summary>Events each key may send per second, with bursts up to ten times that.</summary>
    [Range(1, 10_000_000)]
    public int EventsPerSecondPerKey { get; set; } = 20_000;
}
