namespace Dashboard.Clients;

/// <summary>AuditService's read API, called as the signed-in user: the scope comes from their token.</summary>
public sealed class AuditLogClient(HttpClient http)
{
    public async Task<AuditEntryPage> PageAsync(AuditFilter filter, string? cursor, int limit, CancellationToken ct = default) =>
        await http.GetOrNullAsync<AuditEntryPage>($"/api/v1/audit-events?{filter.ToQuery(cursor, limit)}", ct) ?? new AuditEntryPage([], null);

    /// <summary>Entries newer than the given time (live tail), newest first.</summary>
    public async Task<AuditEntryPage> NewerAsync(AuditFilter filter, DateTimeOffset after, CancellationToken ct = default) =>
        await http.GetOrNullAsync<AuditEntryPage>($"/api/v1/audit-events?{filter.ToQuery(limit: 100, newerThan: after)}", ct) ?? new AuditEntryPage([], null);

    public Task<AuditEntryDetail?> DetailAsync(Guid id, CancellationToken ct = default) =>
        http.GetOrNullAsync<AuditEntryDetail>($"/api/v1/audit-events/{id}", ct);

    public Task<AuditStats?> StatsAsync(AuditFilter filter, CancellationToken ct = default) =>
        http.GetOrNullAsync<AuditStats>($"/api/v1/audit-events/stats?{filter.ToQuery()}", ct);

    /// <summary>The export, streamed straight through (the caller copies it to the browser's response).</summary>
    public Task<HttpResponseMessage> ExportAsync(string format, string query, CancellationToken ct) =>
        http.GetAsync($"/api/v1/audit-events/export?format={format}&{query}", HttpCompletionOption.ResponseHeadersRead, ct);
}

public static class AuditStatsExtensions
{
    /// <summary>What the overview cards count as errors: entries of severity error or critical (none when there are no stats).</summary>
    public static long Errors(this AuditStats? stats) =>
        stats is null ? 0 : stats.BySeverity.GetValueOrDefault("error") + stats.BySeverity.GetValueOrDefault("critical");
}
