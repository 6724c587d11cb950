using System.Diagnostics.Metrics;
using Audit.Contracts;
using AuditService.Events;

namespace AuditService.Ingestion;

/// <summary>The ingest path's own metrics, on the service's Meter (exported as audit_* in Prometheus).</summary>
public sealed class IngestMetrics
{
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;

    public IngestMetrics(Microsoft.Extensions.Hosting.ServiceTelemetry telemetry)
    {
        var meter = telemetry.Meter;
        _accepted = meter.CreateCounter<long>("audit.events.accepted", "{event}", "Events committed to the audit log.");
        _rejected = meter.CreateCounter<long>("audit.events.rejected", "{event}", "Events refused, by reason.");
        _duplicates = meter.CreateCounter<long>("audit.events.duplicates", "{event}", "Events resent with an id already stored.");
        _batchSize = meter.CreateHistogram<int>("audit.ingest.batch.size", "{event}", "Events per group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 5, 10, 50, 100, 500, 1000, 5000, 10000] });
        _commitDuration = meter.CreateHistogram<double>("audit.ingest.commit.duration", "s", "Time to commit one group.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

        // Every reason exported as 0 from the start, so a first reject shows as an increase.
        foreach (var reason in new[] { "validation", "tenant_scope", "quota", "queue_full", "too_large", "malformed", "media_type", "encoding", "storage_unavailable" })
        {
            _rejected.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }

        foreach (var severity in Audit.Contracts.AuditVocabulary.Severities)
        {
            foreach (var category in Audit.Contracts.AuditVocabulary.Categories)
            {
                _accepted.Add(0, new KeyValuePair<string, object?>("severity", severity), new KeyValuePair<string, object?>("category", category));
            }
        }

        _duplicates.Add(0);
    }

    /// <summary>Counts the committed events of one request per (severity, category), so panels can split by both.</summary>
    public void Accepted(IReadOnlyList<AuditEvent> events, IReadOnlyList<IngestResult> results)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (results[i].Status == "duplicate")
            {
                continue;
            }

            // Validation bounds both to a handful of known values, so the series stay few.
            _accepted.Add(1,
                new KeyValuePair<string, object?>("severity", events[i].Severity),
                new KeyValuePair<string, object?>("category", events[i].Category));
        }
    }

    public void Rejected(int count, string reason) => _rejected.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void Duplicates(int count) => _duplicates.Add(count);

    public void Committed(int batchSize, TimeSpan duration)
    {
        _batchSize.Record(batchSize);
        _commitDuration.Record(duration.TotalSeconds);
    }

    public void ObserveQueueDepth(Func<int> depth, Microsoft.Extensions.Hosting.ServiceTelemetry telemetry) =>
        telemetry.Meter.CreateObservableGauge("audit.ingest.queue.depth", depth, "{event}", "Events waiting for a group commit.");
}
