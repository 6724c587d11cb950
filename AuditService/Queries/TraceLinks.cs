using System.Globalization;
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

        // Built as text rather than serialized: export builds two links per row, and this is the hot path.
        // A window around the entry, so Grafana searches where the trace and its logs are.
        var id = Encode(traceId);
        var range = $"\"range\":{{\"from\":\"{Millis(occurredAt - TimeSpan.FromHours(1))}\",\"to\":\"{Millis(occurredAt + TimeSpan.FromHours(1))}\"}}";
        var tempo = Encode(o.TempoUid);
        var loki = Encode(o.LokiUid);
        var logQuery = Encode($"{{service_name=~\".+\"}} | trace_id=\"{traceId}\"");
        var trace = Explore(o.BaseUrl,
            $"{{\"a\":{{\"datasource\":\"{tempo}\",\"queries\":[{{\"refId\":\"A\",\"datasource\":{{\"type\":\"tempo\",\"uid\":\"{tempo}\"}},\"queryType\":\"traceql\",\"query\":\"{id}\"}}],{range}}}}}");
        var logs = Explore(o.BaseUrl,
            $"{{\"a\":{{\"datasource\":\"{loki}\",\"queries\":[{{\"refId\":\"A\",\"datasource\":{{\"type\":\"loki\",\"uid\":\"{loki}\"}},\"expr\":\"{logQuery}\"}}],{range}}}}}");
        return new TraceLinks(trace, logs);
    }

    // Readable in the URL (quotes as \" rather than \u0022); the whole of it is URL-escaped anyway.
    private static string Encode(string value) =>
        JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    private static string Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static string Explore(string baseUrl, string panes) =>
        $"{baseUrl.TrimEnd('/')}/explore?schemaVersion=1&panes={Uri.EscapeDataString(panes)}&orgId=1";
}
