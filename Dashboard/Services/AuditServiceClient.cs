using System.Net.Http.Json;
using Audit.Contracts;

namespace Dashboard.Services;

/// <summary>AuditService's read API, as the Dashboard uses it.</summary>
public sealed class AuditServiceClient(HttpClient http)
{
    public async Task<AuditEventPage> NewestAsync(int limit, CancellationToken ct) =>
        await http.GetFromJsonAsync<AuditEventPage>($"/api/v1/audit-events?limit={limit}", ct)
        ?? new AuditEventPage([], null);
}
