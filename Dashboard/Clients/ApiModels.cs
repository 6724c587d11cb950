namespace Dashboard.Clients;

// The Api's read models, as the Dashboard consumes them (see Api/Usage, Api/Pipeline, Api/Tenants).

public sealed record UsageRow(
    DateOnly Period, Guid TenantId, string Tenant, string Provider, string Model, long Calls, long FailedCalls, long RefusedCalls,
    long InputTokens, long CachedInputTokens, long OutputTokens, decimal CostUsd);

public sealed record UsageReport(string Granularity, DateOnly From, DateOnly To, decimal TotalCostUsd, IReadOnlyList<UsageRow> Rows);

public sealed record TenantCapView(Guid TenantId, string Tenant, string Plan, decimal BudgetUsd, decimal SpentUsd, double Utilization, string Status);

public sealed record StageDuration(string Stage, string AgentRole, long Runs, double AverageSeconds);

public sealed record RoleFailureRate(string AgentRole, long Runs, long Failures, double FailureRate);

public sealed record PipelineActivity(
    Guid Id, Guid TenantId, string Kind, string Input, string Status, int StageIndex, int StageCount, int Attempts,
    string? Output, string? LastError, string? TraceId, string CreatedBy, string? CreatedByName, string? DecidedBy, string? DecisionNote,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt, DateTimeOffset AvailableAt);

public sealed record PipelineStateView(
    IReadOnlyDictionary<string, long> ByStatus, long ApprovalBacklog, DateTimeOffset? OldestAwaitingApproval,
    IReadOnlyList<StageDuration> StageDurations, IReadOnlyList<RoleFailureRate> FailureRates, IReadOnlyList<PipelineActivity> DeadLetters);

public sealed record StageRun(
    long Id, string Stage, string AgentRole, int Attempt, string Worker, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string? Outcome, string? Error, string? Output);

public sealed record LlmCallView(
    Guid Id, string? Stage, string ActorType, string Actor, string Provider, string Model, long InputTokens, long CachedInputTokens,
    long OutputTokens, decimal CostUsd, double LatencyMs, string Outcome, string? Error, string? OutputPreview, string? TraceId, DateTimeOffset CreatedAt);

public sealed record ActivityDetail(PipelineActivity Activity, string[] Stages, IReadOnlyList<StageRun> Timeline, IReadOnlyList<LlmCallView> LlmCalls, decimal TotalCostUsd);

public sealed record TenantSettings(string? Timezone, bool StoreOutputPreviews, string? SpendAlertEmail);

public sealed record TenantSummary(Guid Id, string Name, string Slug, string Plan, decimal MonthlyBudgetUsd, TenantSettings Settings,
    int MemberCount, DateTimeOffset? LastActivityAt, DateTimeOffset CreatedAt);

public sealed record UserView(Guid Id, string Email, string DisplayName, string Role, Guid? TenantId, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt, bool InvitationPending);

public sealed record ProviderStats(
    string Provider, string Model, long Calls, long FailedCalls, long RefusedCalls, double ErrorRate, decimal CostUsd,
    double AverageLatencyMs, double P95LatencyMs, long InputTokens, long OutputTokens);

public sealed record NotificationView(
    Guid Id, Guid? TenantId, string AlertName, string Status, string Severity, string Summary, string? Description,
    DateTimeOffset StartsAt, DateTimeOffset? EndsAt, DateTimeOffset CreatedAt, bool Read);

public sealed record NotificationList(int Unread, IReadOnlyList<NotificationView> Items);
