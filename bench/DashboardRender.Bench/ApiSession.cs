using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Testing;

namespace DashboardRender.Bench;

/// <summary>The Api and AuditService as a client sees them: a bearer token from sign-in, then the read API.</summary>
public sealed class ApiSession(PlatformApp host) : IDisposable
{
    private readonly HttpClient _http = new();

    public async Task<string> SignInAsync(string email) => (await _http.SignInAsync(email, host.Password(email), host.Url("api"))).AccessToken;

    public async Task<Guid> TenantIdAsync(string email, string slug)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Url("api"), "/api/tenants"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await SignInAsync(email));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var tenants = await response.Content.ReadFromJsonAsync<JsonElement>();
        return tenants.EnumerateArray().First(t => t.GetProperty("slug").GetString() == slug).GetProperty("id").GetGuid();
    }

    /// <summary>The Dashboard's first page (50 rows, last 7 days), asked of AuditService directly: the floor under the page.</summary>
    public Task<List<double>> MeasureFirstPageAsync(string token, int repetitions) =>
        MeasureAsync(token, repetitions, () => new Uri(host.Url("auditservice"),
            $"/api/v1/audit-events?limit=50&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-7).ToString("O"))}"));

    /// <summary>The tenant names the page fetches from the Api, before the log, for readers who see many tenants.</summary>
    public Task<List<double>> MeasureTenantNamesAsync(string token, int repetitions) =>
        MeasureAsync(token, repetitions, () => new Uri(host.Url("api"), "/api/tenants"));

    /// <summary>The page's 24-hour summary asked of AuditService directly: the floor under the summary panel.</summary>
    public Task<List<double>> MeasureSummaryAsync(string token, int repetitions) =>
        MeasureAsync(token, repetitions, () => new Uri(host.Url("auditservice"),
            $"/api/v1/audit-events/stats?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-24).ToString("O"))}"));

    private async Task<List<double>> MeasureAsync(string token, int repetitions, Func<Uri> url)
    {
        var timings = new List<double>();
        for (var i = -2; i < repetitions; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url());
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var clock = Stopwatch.StartNew();
            using var response = await _http.SendAsync(request);
            var body = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            clock.Stop();
            var empty = body.ValueKind == JsonValueKind.Array ? body.GetArrayLength() == 0
                : body.TryGetProperty("items", out var items) ? items.GetArrayLength() == 0
                : body.GetProperty("total").GetInt64() == 0;
            if (empty)
            {
                throw new InvalidOperationException($"{url()} answered nothing: the load did not reach this reader's scope.");
            }

            if (i >= 0)
            {
                timings.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return timings;
    }

    public void Dispose() => _http.Dispose();
}
