using System.Net.Http.Json;
using Audit.Contracts;

namespace Dashboard.Clients;

/// <summary>AuditService's read API, as the Dashboard uses it.</summary>
public sealed class AuditServiceClient(HttpClient http)
{
    public async Task<AuditEventPage> NewestAsync(int limit, Guid? tenantId, CancellationToken ct) =>
        await http.GetFromJsonAsync<AuditEventPage>($"/api/v1/audit-events?limit={limit}{(tenantId is { } t ? $"&tenantId={t}" : "")}", ct)
        ?? new AuditEventPage([], null);
}
