namespace Api.Pipeline;

internal static partial class PipelineTrace
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Agent workers started: {WorkerCount} workers, lease {Lease}, {MaxAttempts} tries per stage")]
    public static partial void WorkersStarted(ILogger logger, int workerCount, TimeSpan lease, int maxAttempts);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Stage {Stage} of activity {ActivityId} failed (try {Attempt}): {Error}")]
    public static partial void StageFailed(ILogger logger, string stage, Guid activityId, int attempt, string error);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Activity {ActivityId} moved to the dead letter state: {Error}")]
    public static partial void DeadLettered(ILogger logger, Guid activityId, string error);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Worker {Worker} lost its lease on activity {ActivityId}; its result is discarded")]
    public static partial void LeaseLost(ILogger logger, string worker, Guid activityId);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Error, Message = "Worker {Worker} loop failed")]
    public static partial void WorkerLoopFailed(ILogger logger, string worker, Exception exception);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Pipeline statistics could not be read: {Error}")]
    public static partial void StatsFailed(ILogger logger, string error);
}
