namespace Dashboard.Clients;

/// <summary>The Api's tenants, as the signed-in user may see and change them.</summary>
public sealed class TenantsClient(HttpClient http)
{
    public Task<IReadOnlyList<TenantSummary>> ListAsync(CancellationToken ct = default) =>
        http.GetListAsync<TenantSummary>("/api/tenants", ct);

    /// <summary>Null when the tenant is not in the caller's scope.</summary>
    public Task<TenantSummary?> GetAsync(Guid tenant, CancellationToken ct = default) =>
        http.GetOrNullAsync<TenantSummary>($"/api/tenants/{tenant}", ct);

    public Task<TenantSummary> ChangePlanAsync(Guid tenant, string plan, CancellationToken ct = default) =>
        http.SendAsync<TenantSummary>(HttpMethod.Put, $"/api/tenants/{tenant}/plan", new ChangePlanRequest(plan), ct);
}
