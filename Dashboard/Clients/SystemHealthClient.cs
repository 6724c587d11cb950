namespace Dashboard.Clients;

/// <summary>The Api's own view of the platform's health (super admins and support).</summary>
public sealed class SystemHealthClient(HttpClient http)
{
    public Task<SystemHealthReport?> ReportAsync(CancellationToken ct = default) =>
        http.GetOrNullAsync<SystemHealthReport>("/api/system/health", ct);
}
