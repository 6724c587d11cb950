namespace Api.Llm;

/// <summary>Deletes LLM call records past Llm:CallRetention (180 days by default); the daily rollups are kept.</summary>
public sealed class LlmCallCleanup(AppDb appDb, LlmCallStore store, IOptionsMonitor<LlmOptions> options, TimeProvider clock, ILogger<LlmCallCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.CleanupInterval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Npgsql.NpgsqlException ex)
            {
                // The next tick tries again; a missed cleanup only delays deletion.
                LlmTrace.CleanupFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - options.CurrentValue.CallRetention;
        // Platform scope: retention is one sweep over every tenant's calls.
        await using var db = await appDb.OpenAsync(TenantScope.Platform, ct);
        var removed = await store.DeleteOlderThanAsync(db, cutoff, ct);
        if (removed > 0)
        {
            LlmTrace.CallsRemoved(logger, removed, cutoff);
        }

        return removed;
    }
}
