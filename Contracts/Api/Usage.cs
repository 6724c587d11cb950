namespace Api.Contracts;

public sealed record UsageRow(
    DateOnly Period, Guid TenantId, string Tenant, string Provider, string Model, long Calls, long FailedCalls, long RefusedCalls,
    long InputTokens, long CachedInputTokens, long OutputTokens, decimal CostUsd);

public sealed record UsageReport(string Granularity, DateOnly From, DateOnly To, decimal TotalCostUsd, IReadOnlyList<UsageRow> Rows);

public sealed record TenantCapView(Guid TenantId, string Tenant, string Plan, decimal BudgetUsd, decimal SpentUsd, double Utilization, string Status);

/// <summary>Cost, latency and error rate of one provider and model over a window, from the call records.</summary>
public sealed record ProviderStats(
    string Provider, string Model, long Calls, long FailedCalls, long RefusedCalls, double ErrorRate, decimal CostUsd,
    double AverageLatencyMs, double P95LatencyMs, long InputTokens, long OutputTokens);
