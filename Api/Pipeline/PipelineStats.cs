namespace Api.Pipeline;

public sealed record PipelineSnapshot(IReadOnlyDictionary<string, long> ByStatus, long QueueDepth, double LastActivityUnixSeconds,
    IReadOnlyDictionary<string, long> ActiveTenantsByPlan)
{
    public static readonly PipelineSnapshot Empty = new(new Dictionary<string, long>(), 0, 0, new Dictionary<string, long>());
}

/// <summary>Refreshes the pipeline gauges from the database every StatsInterval, so a scrape never waits on a query.</summary>
public sealed class PipelineStats(AppDb db, IOptions<PipelineOptions> options, ILogger<PipelineStats> logger) : BackgroundService
{
    public PipelineSnapshot Current { get; private set; } = PipelineSnapshot.Empty;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StatsInterval);
        do
        {
            try
            {
                Current = await ReadAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                PipelineTrace.StatsFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<PipelineSnapshot> ReadAsync(CancellationToken ct)
    {
        var byStatus = ActivityStatus.All.ToDictionary(s => s, _ => 0L);
        var plans = new Dictionary<string, long> { ["free"] = 0, ["pro"] = 0, ["team"] = 0 };
        double last = 0;
        // Platform scope: the gauges count every tenant's activities.
        await using var scope = await db.OpenAsync(TenantScope.Platform, ct);
        await using var batch = scope.Batch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT status, count(*) FROM activities GROUP BY status"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT COALESCE(extract(epoch FROM max(created_at)), 0)::float8 FROM activities"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT t.plan, count(*) FROM tenants t
            WHERE EXISTS (SELECT 1 FROM activities a WHERE a.tenant_id = t.id AND a.created_at > now() - interval '30 days')
            GROUP BY t.plan
            """));
        await using var r = await batch.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            byStatus[r.GetString(0)] = r.GetInt64(1);
        }

        await r.NextResultAsync(ct);
        if (await r.ReadAsync(ct))
        {
            last = r.GetDouble(0);
        }

        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            plans[r.GetString(0)] = r.GetInt64(1);
        }

        return new PipelineSnapshot(byStatus, byStatus[ActivityStatus.Queued], last, plans);
    }
}
