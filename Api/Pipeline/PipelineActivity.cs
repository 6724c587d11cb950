namespace Api.Pipeline;

/// <summary>An activity as the API shows it.</summary>
public sealed record PipelineActivity(
    Guid Id, Guid TenantId, string Kind, string Input, string Status, int StageIndex, int StageCount, int Attempts,
    string? Output, string? LastError, string? TraceId, string CreatedBy, string? CreatedByName, string? DecidedBy, string? DecisionNote,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt, DateTimeOffset AvailableAt);

/// <summary>An activity a worker holds under a lease: only the holder of LeaseToken may move it on.</summary>
public sealed record ClaimedActivity(
    Guid Id, Guid TenantId, string Kind, string Input, int StageIndex, int Attempts, string? TraceParent, string? Output, Guid LeaseToken);

public sealed record StageRun(
    long Id, string Stage, string AgentRole, int Attempt, string Worker, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string? Outcome, string? Error, string? Output);

public sealed record LlmCallView(
    Guid Id, string? Stage, string ActorType, string Actor, string Provider, string Model, long InputTokens, long CachedInputTokens,
    long OutputTokens, decimal CostUsd, double LatencyMs, string Outcome, string? Error, string? OutputPreview, string? TraceId, DateTimeOffset CreatedAt);

public sealed record ActivityDetail(PipelineActivity Activity, string[] Stages, IReadOnlyList<StageRun> Timeline, IReadOnlyList<LlmCallView> LlmCalls, decimal TotalCostUsd);
