namespace Dashboard.Clients;

/// <summary>AuditService's retention (super admins): the policies, the schedule, the runs, and running it now.</summary>
public sealed class RetentionClient(HttpClient http)
{
    public Task<RetentionStatus?> StatusAsync(CancellationToken ct = default) =>
        http.GetOrNullAsync<RetentionStatus>("/api/v1/retention", ct);

    public Task<RetentionRunView> RunNowAsync(CancellationToken ct = default) =>
        http.SendAsync<RetentionRunView>(HttpMethod.Post, "/api/v1/retention/run", new { }, ct);
}
