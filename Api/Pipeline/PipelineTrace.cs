namespace Api.Pipeline;

internal static partial class PipelineTrace
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Agent workers started: {WorkerCount} workers, lease {Lease}, {MaxAttempts} tries per stage")]
    public static partial void WorkersStarted(ILogger logger, int workerCount, TimeSpan lease, int maxAttempts);

    // A stage's failure is logged once, by the stage runner, at the level that says whether anyone must act: a failure
    // that will be retried is a warning, a refusal by the spend cap a warning for the tenant, a dead letter an error.
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Stage {Stage} of activity {ActivityId} failed (try {Attempt} of {MaxAttempts}); it will be retried")]
    public static partial void StageFailed(ILogger logger, Exception exception, string stage, Guid activityId, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "Stage {Stage} of activity {ActivityId} failed its last try ({Attempt}); the activity moved to the dead letter state")]
    public static partial void DeadLettered(ILogger logger, Exception exception, string stage, Guid activityId, int attempt);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning, Message = "Stage {Stage} of activity {ActivityId} refused by the tenant's spend cap; the activity moved to the dead letter state")]
    public static partial void RefusedByCap(ILogger logger, Exception exception, string stage, Guid activityId);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Information, Message = "Stage {Stage} of activity {ActivityId} started by the {AgentRole} (try {Attempt})")]
    public static partial void StageStarted(ILogger logger, string stage, Guid activityId, string agentRole, int attempt);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Information, Message = "Stage {Stage} of activity {ActivityId} completed in {DurationMs:0} ms ({Tokens} tokens, {CostUsd} USD)")]
    public static partial void StageCompleted(ILogger logger, string stage, Guid activityId, double durationMs, long tokens, decimal costUsd);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Worker {Worker} lost its lease on activity {ActivityId}; its result is discarded")]
    public static partial void LeaseLost(ILogger logger, string worker, Guid activityId);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Error, Message = "Worker {Worker} loop failed")]
    public static partial void WorkerLoopFailed(ILogger logger, string worker, Exception exception);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Pipeline statistics could not be read; the gauges keep their last values")]
    public static partial void StatsFailed(ILogger logger, Exception exception);
}
