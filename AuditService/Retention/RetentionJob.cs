using AuditService.Chain;
using AuditService.Events;
using AuditService.Ingestion;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AuditService.Retention;

/// <summary>
/// Drops the partitions whose whole range is past their category's retention, and leaves in each
/// affected tenant's log an entry saying what went (<c>audit_log.retention_applied</c>).
/// </summary>
public sealed partial class RetentionJob(RetentionStore store, AuditWriter writer, IOptions<RetentionOptions> options,
    TimeProvider clock, ILogger<RetentionJob> logger) : BackgroundService
{
    public const string AppliedAction = "audit_log.retention_applied";

    public async Task<List<RetentionRecord>> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var dropped = new List<RetentionRecord>();
        foreach (var partition in await store.PartitionsAsync(ct))
        {
            if (options.Value.KeepFor(partition.Category) is not { } keep || partition.To > now - keep)
            {
                continue;
            }

            var records = await store.DropAsync(partition, ct);
            LogDropped(logger, partition.Name, records.Sum(r => r.DroppedCount), records.Count);
            dropped.AddRange(records);
            await AuditAsync(partition, records);
        }

        return dropped;
    }

    private async Task AuditAsync(RetentionStore.Partition partition, List<RetentionRecord> records)
    {
        var at = EventHasher.TruncateToMicroseconds(clock.GetUtcNow());
        var events = records.Select(r => new AuditEvent(Guid.CreateVersion7(), r.TenantId, at, "system", "retention", "Retention job", null,
            AppliedAction, "audit", "info", "audit_partition", partition.Name, partition.Name,
            $"Dropped {r.DroppedCount} expired {partition.Category ?? "audit and activity"} entries (seq {r.FirstSeq}-{r.LastSeq}) from {partition.From:yyyy-MM}",
            null, null,
            CanonicalJson.Normalize(System.Text.Json.JsonSerializer.Serialize(new
            {
                retentionRecord = r.Id, firstSeq = r.FirstSeq, lastSeq = r.LastSeq, droppedCount = r.DroppedCount,
                lastHash = Convert.ToHexStringLower(r.LastHash),
            })),
            null, null, null, null, null, null, "auditservice")).ToList();
        if (events.Count > 0)
        {
            await writer.WriteAsync(events);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or Ingestion.StorageUnavailableException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention dropped partition {Partition}: {Events} events of {Tenants} tenants, with signed records")]
    private static partial void LogDropped(ILogger logger, string partition, long events, int tenants);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
