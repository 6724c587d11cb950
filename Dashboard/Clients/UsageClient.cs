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

    public Task<IReadOnlyList<ProviderStats>> ProvidersAsync(int days, CancellationToken ct = default) =>
        http.GetListAsync<ProviderStats>($"/api/usage/providers?days={days}", ct);
}
