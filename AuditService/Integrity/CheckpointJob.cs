namespace AuditService.Integrity;

/// <summary>
/// Signs the chain heads that moved: at start-up (so a service restarted more often than the interval still signs),
/// then at a fixed interval. Busy tenants are also signed by the writer every Integrity:CheckpointEvery events.
/// </summary>
public sealed partial class CheckpointJob(CheckpointStore store, IOptions<IntegrityOptions> options, TimeProvider clock, ILogger<CheckpointJob> logger)
    : BackgroundService
{
    /// <summary>How soon a start-up checkpoint that met a database outage is tried again.</summary>
    private static readonly TimeSpan StartupRetry = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!await TrySignAsync(stoppingToken))
        {
            await Task.Delay(StartupRetry, clock, stoppingToken);
        }

        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await TrySignAsync(stoppingToken);
        }
    }

    private async Task<bool> TrySignAsync(CancellationToken stoppingToken)
    {
        try
        {
            LogSigned(logger, await store.CheckpointAsync(stoppingToken));
            return true;
        }
        catch (NpgsqlException ex)
        {
            LogFailed(logger, ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Signed {Count} chain checkpoints")]
    private static partial void LogSigned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sign chain checkpoints; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
