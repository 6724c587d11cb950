namespace Api.Contracts;

public sealed record UsageRow(
    DateOnly Period, Guid TenantId, string Tenant, string Provider, string Model, long Calls, long FailedCalls, long RefusedCalls,
    long InputTokens, long CachedInputTokens, long OutputTokens, decimal CostUsd);

public sealed record UsageReport(string Granularity, DateOnly From, DateOnly To, decimal TotalCostUsd, IReadOnlyList<UsageRow> Rows);

/// <summary>
/// A tenant's LLM spend this month (<paramref name="Month"/>, yyyy-MM, UTC) against its budget: the plan's, or a super admin's
/// raise for the month (<paramref name="Raised"/>).
/// </summary>
public sealed record TenantCapView(
    Guid TenantId, string Tenant, string Plan, decimal BudgetUsd, decimal SpentUsd, double Utilization, string Status, string Month, bool Raised);

/// <summary>A super admin raises a tenant's spend cap for the current month, saying why.</summary>
public sealed record RaiseSpendCapRequest(decimal? BudgetUsd, string? Reason);

/// <summary>Cost of one share of the LLM work: an agent role, or a route (the kind of activity, or "direct" for calls outside one).</summary>
public sealed record CostShare(string Name, long Calls, decimal CostUsd);

/// <summary>Where the cost of the last <paramref name="Days"/> days went: per agent role and per route.</summary>
public sealed record CostBreakdown(int Days, IReadOnlyList<CostShare> ByAgentRole, IReadOnlyList<CostShare> ByRoute);

/// <summary>Cost, latency and error rate of one provider and model over a window, from the call records.</summary>
public sealed record ProviderStats(
    string Provider, string Model, long Calls, long FailedCalls, long RefusedCalls, double ErrorRate, decimal CostUsd,
    double AverageLatencyMs, double P95LatencyMs, long InputTokens, long OutputTokens);

/// <summary>Dollar amounts as people read them, the same in the Api's messages and the Dashboard.</summary>
public static class Usd
{
    /// <summary>As many decimals as a small amount needs ($0.0085, not $0.01 or $0); from $1 up, cents ($12.50, $1,200.00).</summary>
    public static string Text(decimal amount) =>
        "$" + (Math.Abs(amount) >= 1 || amount == 0
            ? amount.ToString("#,0.00", System.Globalization.CultureInfo.InvariantCulture)
            : amount.ToString("0.00####", System.Globalization.CultureInfo.InvariantCulture));
}
