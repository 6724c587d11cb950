namespace AuditService.Partitions;

/// <summary>
/// Keeps monthly partitions ready: from the oldest month an accepted event may fall in, to three months
/// ahead. Runs before the first request is served and then every few hours.
/// </summary>
public sealed partial class PartitionMaintenance(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<PartitionMaintenance> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public async Task<int> EnsureAsync(CancellationToken ct)
    {
        var from = clock.GetUtcNow() - Ingestion.AuditEventValidator.MaxAge - TimeSpan.FromDays(1);
        await using var command = dataSource.CreateCommand("SELECT audit_ensure_partitions(@from, 5)");
        command.Parameters.AddWithValue("from", DateOnly.FromDateTime(from.UtcDateTime));
        var created = (int)(await command.ExecuteScalarAsync(ct))!;
        if (created > 0)
        {
            LogCreated(logger, created);
        }

        return created;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await EnsureAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} audit partitions ahead of time")]
    private static partial void LogCreated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create audit partitions; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
