namespace AuditService.Queries;

/// <summary>Where support follows an entry to its trace and logs.</summary>
public sealed class GrafanaOptions
{
    public const string SectionName = "Grafana";

    /// <summary>Empty means no Grafana: entries then carry no links.</summary>
    public string? BaseUrl { get; set; } = "http://localhost:3000";
    public string TempoUid { get; set; } = "tempo";
    public string LokiUid { get; set; } = "loki";
}
