using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Links from a trace id to the trace and to the logs of that trace, in whichever viewer <see cref="TraceViewerOptions"/>
/// names: Grafana's Explore (Tempo, Loki) or the Aspire dashboard. Every service that shows a trace id uses this one.
/// </summary>
public sealed class TraceLinkBuilder
{
    // Placeholders that JSON and URL escaping leave as they are, so the built link splits around them.
    private const string IdMark = "Qz0TRACEz0Q", FromMark = "Qz0FROMz0Q", ToMark = "Qz0TOz0Q";

    private readonly TraceViewerOptions _options;
    private readonly LinkTemplate? _trace, _logs;

    public TraceLinkBuilder(IOptions<TraceViewerOptions> options)
    {
        _options = options.Value;
        Viewer = _options.GrafanaUrl is not null ? "Grafana" : _options.AspireDashboardUrl is not null ? "Aspire dashboard" : null;
        if (Viewer is not null)
        {
            _trace = LinkTemplate.Split(Link(false, IdMark, FromMark, ToMark));
            _logs = LinkTemplate.Split(Link(true, IdMark, FromMark, ToMark));
        }
    }

    /// <summary>Where the links open ("Grafana" or "Aspire dashboard"), for a button's label; null when nothing is configured.</summary>
    public string? Viewer { get; }

    public bool HasLinks(string? traceId) => _trace is not null && !string.IsNullOrWhiteSpace(traceId);

    /// <summary>The trace's page, or null without a viewer or trace id.</summary>
    public string? Trace(string? traceId, DateTimeOffset occurredAt) => Build(false, traceId, occurredAt);

    /// <summary>The logs of every service for that trace, or null without a viewer or trace id.</summary>
    public string? Logs(string? traceId, DateTimeOffset occurredAt) => Build(true, traceId, occurredAt);

    private string? Build(bool logs, string? traceId, DateTimeOffset occurredAt)
    {
        if (!HasLinks(traceId))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[2048];
        return TryFormat(logs, traceId!, occurredAt, buffer, out var n)
            ? buffer[..n].ToString()
            : Link(logs, traceId!, Millis(occurredAt - Window), Millis(occurredAt + Window));
    }

    /// <summary>
    /// The link written into <paramref name="destination"/> from the precomputed template (the export's hot path);
    /// false for a trace id that would need escaping, or too little room: then use <see cref="Trace"/> or <see cref="Logs"/>.
    /// </summary>
    public bool TryFormat(bool logs, string traceId, DateTimeOffset occurredAt, Span<char> destination, out int written)
    {
        written = 0;
        var template = logs ? _logs : _trace;
        if (template is null || !IsPlain(traceId))
        {
            return false;
        }

        Span<char> from = stackalloc char[24], to = stackalloc char[24];
        (occurredAt - Window).ToUnixTimeMilliseconds().TryFormat(from, out var f, provider: CultureInfo.InvariantCulture);
        (occurredAt + Window).ToUnixTimeMilliseconds().TryFormat(to, out var t, provider: CultureInfo.InvariantCulture);
        return template.TryFormat(destination, traceId, from[..f], to[..t], out written);
    }

    // A window around the entry, so Grafana searches where the trace and its logs are.
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private string Link(bool logs, string traceId, string from, string to)
    {
        if (_options.GrafanaUrl is { } grafana)
        {
            return logs ? GrafanaLogs(grafana, traceId, from, to) : GrafanaTrace(grafana, traceId, from, to);
        }

        // The Aspire dashboard keeps telemetry in memory for the AppHost's lifetime: no time range to give.
        var dashboard = _options.AspireDashboardUrl!.ToString().TrimEnd('/');
        return logs ? $"{dashboard}/structuredlogs?traceId={Uri.EscapeDataString(traceId)}" : $"{dashboard}/traces/detail/{Uri.EscapeDataString(traceId)}";
    }

    private string GrafanaTrace(Uri grafana, string traceId, string from, string to)
    {
        var tempo = Encode(_options.TempoUid);
        return Explore(grafana,
            $"{{\"a\":{{\"datasource\":\"{tempo}\",\"queries\":[{{\"refId\":\"A\",\"datasource\":{{\"type\":\"tempo\",\"uid\":\"{tempo}\"}},\"queryType\":\"traceql\",\"query\":\"{Encode(traceId)}\"}}],{Range(from, to)}}}}}");
    }

    private string GrafanaLogs(Uri grafana, string traceId, string from, string to)
    {
        var loki = Encode(_options.LokiUid);
        var logQuery = Encode($"{{service_name=~\".+\"}} | trace_id=\"{traceId}\"");
        return Explore(grafana,
            $"{{\"a\":{{\"datasource\":\"{loki}\",\"queries\":[{{\"refId\":\"A\",\"datasource\":{{\"type\":\"loki\",\"uid\":\"{loki}\"}},\"expr\":\"{logQuery}\"}}],{Range(from, to)}}}}}");
    }

    private static string Range(string from, string to) => $"\"range\":{{\"from\":\"{from}\",\"to\":\"{to}\"}}";

    // Readable in the URL (quotes as \" rather than \u0022); the whole of it is URL-escaped anyway.
    private static string Encode(string value) =>
        JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    private static string Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static string Explore(Uri grafana, string panes) =>
        $"{grafana.ToString().TrimEnd('/')}/explore?schemaVersion=1&panes={Uri.EscapeDataString(panes)}&orgId=1";

    /// <summary>Letters and digits (what a W3C trace id is) pass JSON and URL escaping unchanged.</summary>
    private static bool IsPlain(string value) => value.Length is > 0 and <= 64 && !value.AsSpan().ContainsAnyExcept(Plain);

    private static readonly System.Buffers.SearchValues<char> Plain =
        System.Buffers.SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>A built link cut at its placeholders: text, then (placeholder, text) pairs.</summary>
    private sealed class LinkTemplate(string head, (int Slot, string Text)[] parts)
    {
        public static LinkTemplate? Split(string link)
        {
            var marks = new[] { IdMark, FromMark, ToMark };
            var found = new List<(int At, int Slot)>();
            for (var slot = 0; slot < marks.Length; slot++)
            {
                for (var at = link.IndexOf(marks[slot], StringComparison.Ordinal); at >= 0; at = link.IndexOf(marks[slot], at + 1, StringComparison.Ordinal))
                {
                    found.Add((at, slot));
                }
            }

            found.Sort();
            var parts = new (int, string)[found.Count];
            for (var i = 0; i < found.Count; i++)
            {
                var start = found[i].At + marks[found[i].Slot].Length;
                var end = i + 1 < found.Count ? found[i + 1].At : link.Length;
                if (end < start)
                {
                    return null;
                }

                parts[i] = (found[i].Slot, link[start..end]);
            }

            return new LinkTemplate(found.Count == 0 ? link : link[..found[0].At], parts);
        }

        public bool TryFormat(Span<char> destination, ReadOnlySpan<char> id, ReadOnlySpan<char> from, ReadOnlySpan<char> to, out int written)
        {
            written = 0;
            if (!Append(destination, head, ref written))
            {
                return false;
            }

            foreach (var (slot, text) in parts)
            {
                var value = slot switch { 0 => id, 1 => from, _ => to };
                if (!Append(destination, value, ref written) || !Append(destination, text, ref written))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Append(Span<char> destination, ReadOnlySpan<char> value, ref int written)
        {
            if (!value.TryCopyTo(destination[written..]))
            {
                return false;
            }

            written += value.Length;
            return true;
        }
    }
}
