using AuditService.Ingestion;
using AuditService.Integrity;

namespace AuditService.Retention;

/// <summary>
/// Drops the partitions whose whole range is past their category's retention, and leaves in each
/// affected tenant's log an entry saying what went (<c>audit_log.retention_applied</c>). Runs once shortly after
/// start-up (<see cref="RetentionOptions.FirstRunDelay"/>), then every <see cref="RetentionOptions.Interval"/>, and when
/// a super admin asks (<see cref="RetentionApi"/>); each run is recorded in <c>retention_runs</c>. Instances sharing a
/// database take turns (<see cref="RetentionClaim"/>): one runs the schedule for all.
/// </summary>
public sealed partial class RetentionJob(RetentionStore store, AuditWriter writer, IOptions<RetentionOptions> options,
    TimeProvider clock, ILogger<RetentionJob> logger) : BackgroundService
{
    public const string AppliedAction = "audit_log.retention_applied";

    /// <summary>When this instance's schedule runs next: shortly after start-up, then every <see cref="RetentionOptions.Interval"/>.</summary>
    public DateTimeOffset? NextRunAt { get; private set; }

    /// <summary>Drops every expired partition (unrecorded: the tests' and <see cref="RunRecordedAsync"/>'s way in).</summary>
    public async Task<List<RetentionRecord>> RunAsync(CancellationToken ct)
    {
        var dropped = new List<RetentionRecord>();
        await DropExpiredAsync(dropped, ct);
        return dropped;
    }

    /// <summary>Adds each partition's records to <paramref name="dropped"/> as it goes, so a run that fails halfway still says what went.</summary>
    private async Task DropExpiredAsync(List<RetentionRecord> dropped, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
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
    }

    private async Task AuditAsync(RetentionStore.Partition partition, List<RetentionRecord> records)
    {
        var at = Microseconds.Truncate(clock.GetUtcNow());
        var events = records.Select(r => new AuditEvent(Guid.CreateVersion7(), r.TenantId, at, "system", "retention", "Retention job", null,
            AppliedAction, "audit", "info", "audit_partition", partition.Name, partition.Name,
            $"Dropped {r.DroppedCount} expired {partition.Category ?? "audit and activity"} entries (seq {r.FirstSeq}-{r.LastSeq}) from {partition.From:yyyy-MM}",
            null, null,
            CanonicalJson.Normalize(System.Text.Json.JsonSerializer.Serialize(new
            {
                retentionRecord = r.Id, firstSeq = r.FirstSeq, lastSeq = r.LastSeq, droppedCount = r.DroppedCount,
                lastHash = Convert.ToHexStringLower(r.LastHash),
            })),
            null, null, null, null, null, null, ServiceNames.AuditService)).ToList();
        if (events.Count > 0)
        {
            await writer.WriteAsync(events);
        }
    }

    /// <summary>
    /// A run that is recorded (<c>retention_runs</c>) whatever its outcome: a super admin's, which waits for a run in
    /// progress on any instance to finish, then runs.
    /// </summary>
    public async Task<RetentionRunView> RunRecordedAsync(string trigger, string? requestedBy, CancellationToken ct)
    {
        await using var claim = await store.ClaimAsync(wait: true, ct);
        return await RunClaimedAsync(trigger, requestedBy, ct);
    }

    /// <summary>
    /// The schedule's run (or start-up's): one instance runs it for all. Skipped, and not recorded, while another
    /// instance runs retention, or when one ran the schedule less than half an interval ago.
    /// </summary>
    public async Task<RetentionRunView?> RunScheduledAsync(string trigger, CancellationToken ct)
    {
        await using var claim = await store.ClaimAsync(wait: false, ct);
        if (claim is null || await store.LastScheduledStartAsync(ct) is { } last && clock.GetUtcNow() - last < options.Value.Interval / 2)
        {
            LogSkipped(logger, trigger);
            return null;
        }

        return await RunClaimedAsync(trigger, null, ct);
    }

    private async Task<RetentionRunView> RunClaimedAsync(string trigger, string? requestedBy, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        List<RetentionRecord> dropped = [];
        string? error = null;
        try
        {
            await DropExpiredAsync(dropped, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or Ingestion.StorageUnavailableException)
        {
            LogFailed(logger, ex);
            error = ex.Message;
        }

        var run = new RetentionRunView(Guid.CreateVersion7(), trigger, requestedBy, started, clock.GetUtcNow(),
            [.. dropped.Select(r => r.Partition).Distinct().Order(StringComparer.Ordinal)], dropped.Sum(r => r.DroppedCount),
            dropped.Select(r => r.TenantId).Distinct().Count(), error);
        await store.RecordRunAsync(run, CancellationToken.None);
        return run;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        NextRunAt = clock.GetUtcNow() + o.FirstRunDelay;
        await Task.Delay(o.FirstRunDelay, clock, stoppingToken);
        var trigger = RetentionTriggers.StartUp;
        using var timer = new PeriodicTimer(o.Interval, clock);
        do
        {
            NextRunAt = clock.GetUtcNow() + o.Interval;
            try
            {
                await RunScheduledAsync(trigger, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // The run's own record could not be written (the database is away): the next tick tries again.
                LogFailed(logger, ex);
            }

            trigger = RetentionTriggers.Schedule;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention dropped partition {Partition}: {Events} events of {Tenants} tenants, with signed records")]
    private static partial void LogDropped(ILogger logger, string partition, long events, int tenants);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention run ({Trigger}) skipped: another instance runs retention or ran it recently")]
    private static partial void LogSkipped(ILogger logger, string trigger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
