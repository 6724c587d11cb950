using Microsoft.Extensions.Options;
using Npgsql;

namespace AuditService.Integrity;

/// <summary>Signs the chain heads at a fixed interval.</summary>
public sealed partial class CheckpointJob(CheckpointStore store, IOptions<IntegrityOptions> options, TimeProvider clock, ILogger<CheckpointJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var count = await store.CheckpointAsync(stoppingToken);
                LogSigned(logger, count);
            }
            catch (NpgsqlException ex)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Signed {Count} chain checkpoints")]
    private static partial void LogSigned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sign chain checkpoints; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
