using System.Net;
using System.Net.Http.Json;
using Dashboard.Auth;

namespace Dashboard.Clients;

/// <summary>AuditService's read API, called as the signed-in user: the scope comes from their token.</summary>
public sealed class AuditServiceClient(HttpClient http, CurrentSession session)
{
    public async Task<AuditEntryPage> PageAsync(AuditFilter filter, string? cursor, int limit, CancellationToken ct = default) =>
        await GetAsync<AuditEntryPage>($"/api/v1/audit-events?{filter.ToQuery(cursor, limit)}", ct) ?? new AuditEntryPage([], null);

    /// <summary>Entries newer than the given time (live tail), newest first.</summary>
    public async Task<AuditEntryPage> NewerAsync(AuditFilter filter, DateTimeOffset after, CancellationToken ct = default) =>
        await GetAsync<AuditEntryPage>($"/api/v1/audit-events?{filter.ToQuery(limit: 100, newerThan: after)}", ct) ?? new AuditEntryPage([], null);

    public Task<AuditEntryDetail?> DetailAsync(Guid id, CancellationToken ct = default) =>
        GetAsync<AuditEntryDetail>($"/api/v1/audit-events/{id}", ct);

    public Task<AuditStats?> StatsAsync(AuditFilter filter, CancellationToken ct = default) =>
        GetAsync<AuditStats>($"/api/v1/audit-events/stats?{filter.ToQuery()}", ct);

    /// <summary>The export, streamed straight through (the caller copies it to the browser's response).</summary>
    public async Task<HttpResponseMessage> ExportAsync(string format, string query, CancellationToken ct)
    {
        using var request = await AuthorizedAsync($"/api/v1/audit-events/export?format={format}&{query}", ct);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task<T?> GetAsync<T>(string path, CancellationToken ct)
    {
        using var request = await AuthorizedAsync(path, ct);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        await ApiException.ThrowIfFailedAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(ApiClient.Json, ct);
    }

    private async Task<HttpRequestMessage> AuthorizedAsync(string path, CancellationToken ct)
    {
        var current = await session.GetAsync(ct) ?? throw new ApiException(HttpStatusCode.Unauthorized, "You are signed out.");
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", current.AccessToken);
        return request;
    }
}
