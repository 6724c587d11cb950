using System.Globalization;

namespace Dashboard.Clients;

/// <summary>LLM usage and cost, spend caps and provider statistics.</summary>
public sealed class UsageClient(HttpClient http)
{
    public Task<UsageReport?> ReportAsync(string granularity, DateOnly from, DateOnly? to = null, CancellationToken ct = default) =>
        http.GetOrNullAsync<UsageReport>(
            $"/api/usage?granularity={granularity}&from={from:yyyy-MM-dd}{(to is { } end ? $"&to={end:yyyy-MM-dd}" : "")}", ct);

    /// <summary>Tenants at or above <paramref name="minUtilization"/> of this month's budget; the Api's default (80 %) when null.</summary>
    public Task<IReadOnlyList<TenantCapView>> CapsAsync(double? minUtilization = null, CancellationToken ct = default) =>
        http.GetListAsync<TenantCapView>(
            minUtilization is { } min ? $"/api/usage/caps?minUtilization={min.ToString(CultureInfo.InvariantCulture)}" : "/api/usage/caps", ct);

    /// <summary>A super admin raises the tenant's budget for the current month.</summary>
    public Task<TenantCapView> RaiseCapAsync(Guid tenant, decimal budgetUsd, string reason, CancellationToken ct = default) =>
        http.SendAsync<TenantCapView>(HttpMethod.Put, $"/api/usage/caps/{tenant}/month", new RaiseSpendCapRequest(budgetUsd, reason), ct);

    /// <summary>Cost per agent role and per route over the last <paramref name="days"/> days (at most 180: call records are kept that long).</summary>
    public async Task<CostBreakdown> BreakdownAsync(int days, CancellationToken ct = default) =>
        await http.GetOrNullAsync<CostBreakdown>($"/api/usage/breakdown?days={days}", ct) ?? new CostBreakdown(days, [], []);

    public Task<IReadOnlyList<ProviderStats>> ProvidersAsync(int days, CancellationToken ct = default) =>
        http.GetListAsync<ProviderStats>($"/api/usage/providers?days={days}", ct);
}
