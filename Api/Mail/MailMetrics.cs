using System.Diagnostics.Metrics;

namespace Api.Mail;

/// <summary>
/// The outbox's instruments (docs/metrics.md, "Api: mail outbox"): what the transport took and refused, and the backlog
/// as the sender last read it, so a mail server that refuses everything shows as a growing age, not as silence. The
/// error type of a refusal is in its log line (event 4401), which keeps the failure series one per transport.
/// </summary>
public sealed class MailMetrics
{
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failures;
    private readonly KeyValuePair<string, object?> _transport;
    private OutboxBacklog _backlog = new(0, null);

    public MailMetrics(ServiceTelemetry telemetry, IMailTransport transport, TimeProvider clock)
    {
        _transport = new("mail.transport", transport.Name);
        var meter = telemetry.Meter;
        _sent = meter.CreateCounter<long>("mail.sent", "{mail}", "Mails handed to the transport.");
        _failures = meter.CreateCounter<long>("mail.send.failures", "{attempt}", "Send attempts the transport refused; the mail stays in the outbox.");
        // Both series exist from start-up at 0, so a first failure shows as an increase.
        _sent.Add(0, _transport);
        _failures.Add(0, _transport);
        meter.CreateObservableGauge("mail.outbox.pending", () => Backlog.Pending, "{mail}",
            "Mails in the outbox not sent yet, as of the sender's last poll.");
        meter.CreateObservableGauge("mail.outbox.oldest_pending.age", () => Backlog is { Oldest: { } oldest }
            ? Math.Max(0, (clock.GetUtcNow() - oldest).TotalSeconds) : 0, "s", "How long the oldest unsent mail has waited (0 when none).");
    }

    public void Sent() => _sent.Add(1, _transport);

    public void Failed() => _failures.Add(1, _transport);

    /// <summary>The backlog as the sender last read it: what the gauges report.</summary>
    public OutboxBacklog Backlog => Volatile.Read(ref _backlog);

    public void Observed(OutboxBacklog backlog) => Volatile.Write(ref _backlog, backlog);
}

/// <summary>The unsent mail: how many, and when the oldest was written.</summary>
public sealed record OutboxBacklog(long Pending, DateTimeOffset? Oldest);
