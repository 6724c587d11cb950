namespace Api.SystemHealth;

/// <summary>
/// Adds this process's request counts to <c>request_counts</c> every <see cref="SystemHealthOptions.FlushInterval"/> and
/// once more at shutdown, so the system health answer's hour survives a restart; drops rows past two hours.
/// </summary>
public sealed partial class RequestCountFlusher(AppDb db, RequestOutcomeCounter counter, IOptions<SystemHealthOptions> options,
    ILogger<RequestCountFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last counts are written below, without the host's cancelled token.
        }

        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var counts = counter.TakeUnwritten();
        try
        {
            // Platform scope: request_counts holds no tenant data (no row-level security).
            await using var scope = await db.OpenAsync(TenantScope.Platform, ct);
            await using var batch = scope.Batch();
            if (counts.Count > 0)
            {
                var upsert = new NpgsqlBatchCommand("""
                    INSERT INTO request_counts (minute, requests, errors)
                    SELECT * FROM unnest(@minutes, @requests, @errors)
                    ON CONFLICT (minute) DO UPDATE SET requests = request_counts.requests + excluded.requests, errors = request_counts.errors + excluded.errors
                    """);
                upsert.Parameters.AddWithValue("minutes", counts.Select(c => c.Start).ToArray());
                upsert.Parameters.AddWithValue("requests", counts.Select(c => c.Requests).ToArray());
                upsert.Parameters.AddWithValue("errors", counts.Select(c => c.Errors).ToArray());
                batch.BatchCommands.Add(upsert);
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM request_counts WHERE minute < now() - interval '2 hours'"));
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            counter.Unwrite(counts);
            LogFlushFailed(logger, counts.Sum(c => c.Requests), ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request counts not written ({Requests} requests kept for the next try): {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, long requests, string reason);
}
