namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where a person follows a trace id: Grafana's Explore (Tempo and Loki) when Grafana runs, otherwise the Aspire
/// dashboard's trace page and structured logs. Neither configured: no links are shown.
/// </summary>
public sealed class TraceViewerOptions
{
    public const string SectionName = "TraceViewer";

    public Uri? GrafanaUrl { get; set; }
    public string TempoUid { get; set; } = "tempo";
    public string LokiUid { get; set; } = "loki";

    public Uri? AspireDashboardUrl { get; set; }
}
