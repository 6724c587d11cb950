using System.Text.Json;
using Dashboard.Extensions;
using Microsoft.Extensions.Options;

namespace Dashboard.Clients;

/// <summary>
/// Grafana Explore links for a trace id, for the pages whose data comes from the Api (audit entries carry
/// AuditService's own links). Null when no Grafana is configured.
/// </summary>
public sealed class GrafanaLinks(IOptions<DashboardOptions> options)
{
    public string? Trace(string? traceId)
    {
        if (string.IsNullOrEmpty(traceId) || options.Value.GrafanaBaseUrl is not { } grafana)
        {
            return null;
        }

        var state = JsonSerializer.Serialize(new
        {
            datasource = "tempo",
            queries = new[] { new { refId = "A", datasource = new { type = "tempo", uid = "tempo" }, queryType = "traceql", query = traceId } },
            range = new { from = "now-7d", to = "now" },
        });
        return new Uri(grafana, $"/explore?schemaVersion=1&orgId=1&left={Uri.EscapeDataString(state)}").ToString();
    }
}
