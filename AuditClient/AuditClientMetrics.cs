using System.Diagnostics.Metrics;

namespace Audit.Client;

/// <summary>audit_client_* in Prometheus: what was queued, sent, spilled to disk and dropped.</summary>
public sealed class AuditClientMetrics : IDisposable
{
    public const string MeterName = "Audit.Client";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _queued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _spilled;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _rejected;

    public AuditClientMetrics()
    {
        _queued = _meter.CreateCounter<long>("audit.client.events.queued", "{event}", "Events recorded and queued for sending.");
        _sent = _meter.CreateCounter<long>("audit.client.events.sent", "{event}", "Events AuditService acknowledged as committed.");
        _spilled = _meter.CreateCounter<long>("audit.client.events.spilled", "{event}", "Events written to the on-disk queue while AuditService was unreachable.");
        _dropped = _meter.CreateCounter<long>("audit.client.events.dropped", "{event}", "Events lost because every queue was full.");
        _rejected = _meter.CreateCounter<long>("audit.client.events.rejected", "{event}", "Events AuditService refused as invalid.");

        // Exported as 0 from the start, so dashboards and increase()-based alerts see the first spill or drop.
        _spilled.Add(0);
        _dropped.Add(0);
        _rejected.Add(0);
    }

    public void Queued() => _queued.Add(1);
    public void Sent(int count) => _sent.Add(count);
    public void Spilled(int count) => _spilled.Add(count);
    public void Dropped(int count) => _dropped.Add(count);
    public void Rejected(int count) => _rejected.Add(count);

    public void ObserveQueueLength(Func<int> length) =>
        _meter.CreateObservableGauge("audit.client.queue.length", length, "{event}", "Events waiting in memory to be sent.");

    public void ObserveSpill(Func<long> bytes) =>
        _meter.CreateObservableGauge("audit.client.spill.size", bytes, "By", "Bytes of events waiting on disk to be sent.");

    public void Dispose() => _meter.Dispose();
}
