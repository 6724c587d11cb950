using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AuditService.Queries;

/// <summary>Grafana Explore links to an entry's trace (Tempo) and to the logs of that trace (Loki).</summary>
public sealed class TraceLinkBuilder
{
    // Placeholders that JSON and URL escaping leave as they are, so the built link splits around them.
    private const string IdMark = "Qz0TRACEz0Q", FromMark = "Qz0FROMz0Q", ToMark = "Qz0TOz0Q";

    private readonly GrafanaOptions _options;
    private readonly LinkTemplate? _trace, _logs;

    public TraceLinkBuilder(IOptions<GrafanaOptions> options)
    {
        _options = options.Value;
        if (!string.IsNullOrWhiteSpace(_options.BaseUrl))
        {
            _trace = LinkTemplate.Split(Trace(_options, IdMark, FromMark, ToMark));
            _logs = LinkTemplate.Split(Logs(_options, IdMark, FromMark, ToMark));
        }
    }

    public bool HasLinks(string? traceId) => _trace is not null && !string.IsNullOrWhiteSpace(traceId);

    public TraceLinks? For(string? traceId, DateTimeOffset occurredAt)
    {
        if (!HasLinks(traceId))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[2048];
        return new TraceLinks(
            TryFormat(false, traceId!, occurredAt, buffer, out var n) ? buffer[..n].ToString() : Trace(_options, traceId!, occurredAt),
            TryFormat(true, traceId!, occurredAt, buffer, out n) ? buffer[..n].ToString() : Logs(_options, traceId!, occurredAt));
    }

    /// <summary>
    /// The link written into <paramref name="destination"/> from the precomputed template (the export's hot path);
    /// false for a trace id that would need escaping, or too little room: then use <see cref="For"/>.
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

    private static string Trace(GrafanaOptions o, string traceId, DateTimeOffset at) => Trace(o, traceId, Millis(at - Window), Millis(at + Window));

    private static string Logs(GrafanaOptions o, string traceId, DateTimeOffset at) => Logs(o, traceId, Millis(at - Window), Millis(at + Window));

    private static string Trace(GrafanaOptions o, string traceId, string from, string to)
    {
        var tempo = Encode(o.TempoUid);
        return Explore(o.BaseUrl!,
            $"{{\"a\":{{\"datasource\":\"{tempo}\",\"queries\":[{{\"refId\":\"A\",\"datasource\":{{\"type\":\"tempo\",\"uid\":\"{tempo}\"}},\"queryType\":\"traceql\",\"query\":\"{Encode(traceId)}\"}}],{Range(from, to)}}}}}");
    }

    private static string Logs(GrafanaOptions o, string traceId, string from, string to)
    {
        var loki = Encode(o.LokiUid);
        var logQuery = Encode($"{{service_name=~\".+\"}} | trace_id=\"{traceId}\"");
        return Explore(o.BaseUrl!,
            $"{{\"a\":{{\"datasource\":\"{loki}\",\"queries\":[{{\"refId\":\"A\",\"datasource\":{{\"type\":\"loki\",\"uid\":\"{loki}\"}},\"expr\":\"{logQuery}\"}}],{Range(from, to)}}}}}");
    }

    private static string Range(string from, string to) => $"\"range\":{{\"from\":\"{from}\",\"to\":\"{to}\"}}";

    // Readable in the URL (quotes as \" rather than \u0022); the whole of it is URL-escaped anyway.
    private static string Encode(string value) =>
        JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    private static string Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static string Explore(string baseUrl, string panes) =>
        $"{baseUrl.TrimEnd('/')}/explore?schemaVersion=1&panes={Uri.EscapeDataString(panes)}&orgId=1";

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
