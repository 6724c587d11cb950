using System.Diagnostics;
using Audit.Contracts;

namespace Audit.Client;

/// <summary>
/// The span of one batch send. It continues the trace of the first event in the batch, so a request's waterfall shows
/// where its audit event went (the send, AuditService's ingest and its commit), and links the spans that recorded the
/// other events, as the OpenTelemetry messaging conventions do for a batch. The send therefore never starts a trace of
/// its own, except for a batch replayed from disk, which only links.
/// </summary>
internal static class AuditSendTelemetry
{
    public const string SourceName = AuditClientMetrics.MeterName;

    // The SDK's default span link limit; a larger batch links its first 128 recorders.
    private const int MaxLinks = 128;

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartSend(IReadOnlyList<AuditEventDto> batch, IReadOnlyList<ActivityContext>? origins)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var recorders = origins ?? batch.Select(FromIds).ToList();
        var parent = origins?.FirstOrDefault(o => o != default) ?? default;
        var links = recorders.Where(o => o != default && o.SpanId != parent.SpanId).DistinctBy(o => o.SpanId).Take(MaxLinks)
            .Select(o => new ActivityLink(o)).ToList();
        var span = Source.StartActivity("audit.send", ActivityKind.Producer, parent, links: links);
        span?.SetTag("audit.batch.size", batch.Count);
        return span;
    }

    /// <summary>Tags the outcome (sent, invalid, retry); anything but sent marks the span as failed.</summary>
    public static void End(Activity? span, bool sent, string outcome, string? detail)
    {
        span?.SetTag("audit.outcome", outcome);
        if (!sent)
        {
            span?.SetStatus(ActivityStatusCode.Error, detail);
        }
    }

    private static ActivityContext FromIds(AuditEventDto dto) =>
        dto.TraceId is { Length: 32 } trace && dto.SpanId is { Length: 16 } span
            && trace.All(char.IsAsciiHexDigitLower) && span.All(char.IsAsciiHexDigitLower)
            ? new ActivityContext(ActivityTraceId.CreateFromString(trace), ActivitySpanId.CreateFromString(span), ActivityTraceFlags.None)
            : default;
}
