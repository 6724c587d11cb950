using System.Diagnostics;
using Api.Llm;

namespace Api.Pipeline;

/// <summary>
/// Runs the current stage of a claimed activity as its agent: a span that continues the creating request's
/// trace, one LLM call, the move to the next stage, and audit entries with actor type agent.
/// </summary>
public sealed class StageRunner(
    PipelineQueue queue,
    LlmGateway llm,
    IAuditLog audit,
    PipelineMetrics metrics,
    ServiceTelemetry telemetry,
    IOptionsMonitor<PipelineOptions> options,
    TimeProvider clock,
    ILogger<StageRunner> logger)
{
    public async Task RunAsync(ClaimedActivity activity, string worker, CancellationToken ct)
    {
        var stages = AgentStages.ByKind[activity.Kind];
        var stage = stages[activity.StageIndex];
        var parent = ActivityContext.TryParse(activity.TraceParent, null, isRemote: true, out var context) ? context : default;
        using var span = telemetry.ActivitySource.StartActivity($"pipeline.stage {stage.Name}", ActivityKind.Internal, parent);
        span?.SetTag("pipeline.activity.id", activity.Id.ToString());
        span?.SetTag("pipeline.stage", stage.Name);
        span?.SetTag("pipeline.agent_role", stage.AgentRole);
        // The GenAI conventions' names for the agent that runs the stage.
        span?.SetTag("gen_ai.operation.name", "invoke_agent");
        span?.SetTag("gen_ai.agent.name", stage.AgentRole);
        span?.SetTag("pipeline.attempt", activity.Attempts);
        span?.SetTag("tenant.id", activity.TenantId.ToString());

        var stageId = await queue.StartStageAsync(activity, stage, worker, ct);
        PipelineTrace.StageStarted(logger, stage.Name, activity.Id, stage.AgentRole, activity.Attempts);
        Record(activity, stage, "activity.stage.started", "info", $"{stage.AgentRole} started {stage.Name} (try {activity.Attempts})", null);
        var started = clock.GetTimestamp();
        try
        {
            var result = await llm.CompleteAsync(LlmCaller.Agent(activity.TenantId, stage.AgentRole, activity.Id, stage.Name), stage.Prompt(activity), ct);
            var last = activity.StageIndex == stages.Length - 1;

            // Recorded before the commit that hands the activity on: from then another worker may start the next stage,
            // and its entry must follow this one in the tenant's log.
            Record(activity, stage, "activity.stage.completed", "info", $"{stage.AgentRole} completed {stage.Name}",
                new { llmCallId = result.CallId, model = result.Model, inputTokens = result.Tokens.Input, cachedInputTokens = result.Tokens.CachedInput,
                      outputTokens = result.Tokens.Output, costUsd = result.CostUsd, latencyMs = result.LatencyMs });
            if (!await queue.CompleteStageAsync(activity, stageId, result.Text, last, ct))
            {
                PipelineTrace.LeaseLost(logger, worker, activity.Id);
                Record(activity, stage, "activity.stage.result_discarded", "warning",
                    $"{stage.AgentRole}'s result for {stage.Name} was discarded: the stage had been given to another worker after its lease ran out", null);
                return;
            }

            var elapsed = clock.GetElapsedTime(started);
            metrics.StageFinished(stage.Name, stage.AgentRole, "succeeded", elapsed.TotalSeconds);
            PipelineTrace.StageCompleted(logger, stage.Name, activity.Id, elapsed.TotalMilliseconds, result.Tokens.Input + result.Tokens.Output, result.CostUsd);
            if (last)
            {
                Record(activity, stage, "activity.awaiting_approval", "info", "The agents' output waits for a human decision", null);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await queue.ReleaseAsync(activity, stageId);
            throw;
        }
        catch (Exception ex)
        {
            await FailAsync(activity, stage, stageId, worker, ex, started, span);
        }
    }

    private async Task FailAsync(ClaimedActivity activity, AgentStage stage, long stageId, string worker, Exception ex, long started, Activity? span)
    {
        span?.SetError(ex);
        var refused = ex is SpendCapExceededException;
        var o = options.CurrentValue;
        var dead = refused || activity.Attempts >= o.MaxAttempts;
        var outcome = refused ? "refused_cap" : "failed";
        if (!await queue.FailStageAsync(activity, stageId, outcome, ex.Message, dead, o.BackoffAfter(activity.Attempts), CancellationToken.None))
        {
            PipelineTrace.LeaseLost(logger, worker, activity.Id);
            return;
        }

        metrics.StageFinished(stage.Name, stage.AgentRole, outcome, clock.GetElapsedTime(started).TotalSeconds);
        if (refused)
        {
            PipelineTrace.RefusedByCap(logger, ex, stage.Name, activity.Id);
        }
        else if (dead)
        {
            PipelineTrace.DeadLettered(logger, ex, stage.Name, activity.Id, activity.Attempts);
        }
        else
        {
            PipelineTrace.StageFailed(logger, ex, stage.Name, activity.Id, activity.Attempts, o.MaxAttempts);
        }

        Record(activity, stage, "activity.stage.failed", refused ? "warning" : "error",
            refused ? $"{stage.Name} refused: {ex.Message}" : $"{stage.AgentRole} failed {stage.Name} (try {activity.Attempts} of {o.MaxAttempts})",
            new { outcome, attempt = activity.Attempts, maxAttempts = o.MaxAttempts, willRetry = !dead }, ex.Message);
        if (dead)
        {
            // A refusal is the tenant's budget at work; an activity that failed every try is work lost until an admin acts,
            // which the CriticalAuditEntry alert pages on.
            Record(activity, stage, "activity.dead_lettered", refused ? "warning" : "critical",
                $"Moved to the dead letter state after {stage.Name} failed", new { outcome }, ex.Message);
        }
    }

    private void Record(ClaimedActivity activity, AgentStage stage, string action, string severity, string description, object? metadata, string? error = null) =>
        audit.Record(new AuditRecord
        {
            Action = action,
            Category = "activity",
            Severity = severity,
            TenantId = activity.TenantId,
            Actor = AuditActor.Agent($"agent:{stage.AgentRole}", stage.AgentRole),
            ResourceType = "activity",
            ResourceId = activity.Id.ToString(),
            ResourceName = activity.Kind,
            Description = description,
            Metadata = metadata is null ? new { stage = stage.Name, agentRole = stage.AgentRole } : new { stage = stage.Name, agentRole = stage.AgentRole, details = metadata },
            ErrorMessage = error,
        });
}
