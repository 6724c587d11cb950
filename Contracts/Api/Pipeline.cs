namespace Api.Contracts;

public static class ActivityStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Completed = "completed";
    public const string Rejected = "rejected";
    public const string DeadLetter = "dead_letter";

    public static readonly string[] All = [Queued, Running, AwaitingApproval, Completed, Rejected, DeadLetter];
}

public sealed record CreateActivityRequest(string? Kind, string? Input, Guid? TenantId);

public sealed record DecisionRequest(string? Note);

/// <summary>An activity as the API shows it.</summary>
public sealed record PipelineActivity(
    Guid Id, Guid TenantId, string Kind, string Input, string Status, int StageIndex, int StageCount, int Attempts,
    string? Output, string? LastError, string? TraceId, string CreatedBy, string? CreatedByName, string? DecidedBy, string? DecisionNote,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt, DateTimeOffset AvailableAt);

public sealed record StageRun(
    long Id, string Stage, string AgentRole, int Attempt, string Worker, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string? Outcome, string? Error, string? Output);

public sealed record LlmCallView(
    Guid Id, string? Stage, string ActorType, string Actor, string Provider, string Model, long InputTokens, long CachedInputTokens,
    long OutputTokens, decimal CostUsd, double LatencyMs, string Outcome, string? Error, string? OutputPreview, string? TraceId, DateTimeOffset CreatedAt);

public sealed record ActivityDetail(PipelineActivity Activity, string[] Stages, IReadOnlyList<StageRun> Timeline, IReadOnlyList<LlmCallView> LlmCalls, decimal TotalCostUsd);

public sealed record StageDuration(string Stage, string AgentRole, long Runs, double AverageSeconds);

public sealed record RoleFailureRate(string AgentRole, long Runs, long Failures, double FailureRate);

/// <summary>Stage runs that finished in a window, and how many of them succeeded.</summary>
public sealed record StageOutcomes(long Finished, long Succeeded)
{
    /// <summary>The share that succeeded; null when no stage finished (no rate, rather than 0 % or 100 %).</summary>
    public double? SuccessRate => Finished == 0 ? null : (double)Succeeded / Finished;
}

/// <summary>
/// The pipeline as the Dashboard shows it; <c>DeadLetters</c> lists the newest 50, <c>ByStatus["dead_letter"]</c> counts them
/// all; <c>LastHour</c> is the pipeline's health as people read it (stage success rate over the last hour).
/// </summary>
public sealed record PipelineStateView(
    IReadOnlyDictionary<string, long> ByStatus, long ApprovalBacklog, DateTimeOffset? OldestAwaitingApproval,
    IReadOnlyList<StageDuration> StageDurations, IReadOnlyList<RoleFailureRate> FailureRates, IReadOnlyList<PipelineActivity> DeadLetters,
    StageOutcomes LastHour);
