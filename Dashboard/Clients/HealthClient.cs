using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Dashboard.Clients;

/// <summary>One service's row on the health page: what its /health answered, or why it could not be read.</summary>
public sealed record ServiceHealth(string Service, string Status, double? DurationMs, IReadOnlyList<HealthCheckView> Checks, string? Error, double LatencyMs)
{
    public static ServiceHealth Answered(string service, HealthResponse health, long started) =>
        new(service, health.Status, health.DurationMs, health.Checks ?? [], null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    public static ServiceHealth Unreachable(string service, string error, long started) =>
        new(service, "Unreachable", null, [], error, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

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
        return ServiceHealth.Answered(ServiceNames.Dashboard, HealthResponse.WithChecks(await self.CheckHealthAsync(ct)), started);
    }

    private async Task<ServiceHealth> ReadAsync(string name, Uri baseAddress, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath));
            if ((await session.GetAsync(ct))?.AccessToken is { } token)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            using var response = await http.SendAsync(request, ct);
            return await response.Content.ReadFromJsonAsync<HealthResponse>(ct) is { Status: not null } health
                ? ServiceHealth.Answered(name, health, started)
                : ServiceHealth.Unreachable(name, $"/health answered {(int)response.StatusCode} without a status", started);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return ServiceHealth.Unreachable(name, ex.Message, started);
        }
    }
}
