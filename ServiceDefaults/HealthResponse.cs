using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service's /health answers, as camelCase JSON: the status for anyone; for Development and operators also
/// how long the checks took, which are unhealthy, and each check (a check's description is null when it has none). The
/// services write it; the Dashboard reads it.
/// </summary>
public sealed record HealthResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DurationMs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Unhealthy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<HealthCheckView>? Checks = null)
{
    public static HealthResponse StatusOnly(HealthReport report) => new(report.Status.ToString());

    public static HealthResponse WithChecks(HealthReport report) => new(
        report.Status.ToString(),
        report.TotalDuration.TotalMilliseconds,
        [.. report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key)],
        [.. report.Entries.Select(e => new HealthCheckView(
            e.Key, e.Value.Status.ToString(), e.Value.Duration.TotalMilliseconds, e.Value.Description ?? e.Value.Exception?.Message))]);
}

public sealed record HealthCheckView(string Name, string Status, double DurationMs, string? Description);
