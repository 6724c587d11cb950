using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Dashboard.Clients;

public sealed record ServiceHealth(string Service, string Status, double? DurationMs, IReadOnlyList<CheckHealth> Checks, string? Error, double LatencyMs);

public sealed record CheckHealth(string Name, string Status, double DurationMs, string? Description);

/// <summary>
/// Reads every service's /health, the same endpoint the AppHost waits on, with the signed-in user's token: services
/// show their checks to operators (and in Development), and only their status to anyone else.
/// </summary>
public sealed class HealthClient(HttpClient http, IOptions<DashboardOptions> options, HealthCheckService self, Dashboard.Auth.CurrentSession session)
{
    public async Task<IReadOnlyList<ServiceHealth>> AllAsync(CancellationToken ct)
    {
        var remote = await Task.WhenAll(
            ReadAsync(ServiceNames.AuditService, options.Value.AuditServiceEndpoint, ct),
            ReadAsync(ServiceNames.Api, options.Value.ApiEndpoint, ct));
        return [.. remote, await SelfAsync(ct)];
    }

    private async Task<ServiceHealth> SelfAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var report = await self.CheckHealthAsync(ct);
        return new ServiceHealth(ServiceNames.Dashboard, report.Status.ToString(), report.TotalDuration.TotalMilliseconds,
            report.Entries.Select(e => new CheckHealth(e.Key, e.Value.Status.ToString(), e.Value.Duration.TotalMilliseconds, e.Value.Description)).ToList(),
            null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<ServiceHealth> ReadAsync(string name, Uri baseAddress, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "/health"));
            if ((await session.GetAsync(ct))?.AccessToken is { } token)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var checks = body.TryGetProperty("checks", out var list)
                ? list.EnumerateArray().Select(c => new CheckHealth(
                    c.GetProperty("name").GetString()!, c.GetProperty("status").GetString()!, c.GetProperty("durationMs").GetDouble(),
                    c.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null)).ToList()
                : [];
            return new ServiceHealth(name, body.GetProperty("status").GetString()!,
                body.TryGetProperty("durationMs", out var duration) ? duration.GetDouble() : null, checks, null,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new ServiceHealth(name, "Unreachable", null, [], ex.Message, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
