using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AuditService.Queries;

public sealed record TraceLinks(string Trace, string Logs);

/// <summary>Grafana Explore links to an entry's trace (Tempo) and to the logs of that trace (Loki).</summary>
public sealed class TraceLinkBuilder(IOptions<GrafanaOptions> options)
{
    public TraceLinks? For(string? traceId, DateTimeOffset occurredAt)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(traceId) || string.IsNullOrWhiteSpace(o.BaseUrl))
        {
            return null;
        }

        // A window around the entry, so Grafana searches where the trace and its logs are.
        var range = new { from = (occurredAt - TimeSpan.FromHours(1)).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                          to = (occurredAt + TimeSpan.FromHours(1)).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var trace = Explore(o.BaseUrl, new
        {
            datasource = o.TempoUid,
            queries = new[] { new { refId = "A", datasource = new { type = "tempo", uid = o.TempoUid }, queryType = "traceql", query = traceId } },
            range,
        });
        var logs = Explore(o.BaseUrl, new
        {
            datasource = o.LokiUid,
            queries = new[] { new { refId = "A", datasource = new { type = "loki", uid = o.LokiUid }, expr = $"{{service_name=~\".+\"}} | trace_id=\"{traceId}\"" } },
            range,
        });
        return new TraceLinks(trace, logs);
    }

    // Readable JSON in the URL (quotes as \" rather than \u0022); the whole of it is URL-escaped anyway.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Explore(string baseUrl, object pane) =>
        $"{baseUrl.TrimEnd('/')}/explore?schemaVersion=1&panes={Uri.EscapeDataString(JsonSerializer.Serialize(new { a = pane }, Json))}&orgId=1";
}
