using System.Diagnostics.Metrics;

namespace AuditService.Ingestion;

/// <summary>The ingest path's own metrics, on the service's Meter (exported as audit_* in Prometheus).</summary>
public sealed class IngestMetrics
{
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _groupRetries;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;

    public IngestMetrics(Microsoft.Extensions.Hosting.ServiceTelemetry telemetry)
    {
        var meter = telemetry.Meter;
        _accepted = meter.CreateCounter<long>("audit.events.accepted", "{event}", "Events committed to the audit log.");
        _rejected = meter.CreateCounter<long>("audit.events.rejected", "{event}", "Events refused, by reason.");
        _duplicates = meter.CreateCounter<long>("audit.events.duplicates", "{event}", "Events resent with an id already stored.");
        _groupRetries = meter.CreateCounter<long>("audit.ingest.group.retries", "{group}",
            "Group commits written again with a look-up after meeting an id already stored.");
        _batchSize = meter.CreateHistogram<int>("audit.ingest.batch.size", "{event}", "Events per group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 5, 10, 50, 100, 500, 1000, 5000, 10000] });
        _commitDuration = meter.CreateHistogram<double>("audit.ingest.commit.duration", "s", "Time to commit one group.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

        // Every reason exported as 0 from the start, so a first reject shows as an increase.
        foreach (var reason in new[] { "validation", "tenant_scope", "quota", "queue_full", "too_large", "malformed", "media_type", "encoding", "storage_unavailable" })
        {
            _rejected.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }

        foreach (var severity in AuditVocabulary.Severities)
        {
            foreach (var category in AuditVocabulary.Categories)
            {
                _accepted.Add(0, new KeyValuePair<string, object?>("severity", severity), new KeyValuePair<string, object?>("category", category));
            }
        }

        _duplicates.Add(0);
        _groupRetries.Add(0);
    }

    /// <summary>Counts the committed events of one request per (severity, category), so panels can split by both.</summary>
    public void Accepted(IReadOnlyList<AuditEvent> events, IReadOnlyList<IngestResult> results)
    {
        // Validation bounds both to a handful of known values: tally per pair, then one Add per pair, not per event.
        Span<int> counts = stackalloc int[AuditVocabulary.Severities.Length * AuditVocabulary.Categories.Length];
        for (var i = 0; i < events.Count; i++)
        {
            if (results[i].Status == IngestStatus.Accepted && Pair(events[i].Severity, events[i].Category) is >= 0 and var pair)
            {
                counts[pair]++;
            }
        }

        for (var pair = 0; pair < counts.Length; pair++)
        {
            if (counts[pair] > 0)
            {
                _accepted.Add(counts[pair],
                    new KeyValuePair<string, object?>("severity", AuditVocabulary.Severities[pair / AuditVocabulary.Categories.Length]),
                    new KeyValuePair<string, object?>("category", AuditVocabulary.Categories[pair % AuditVocabulary.Categories.Length]));
            }
        }
    }

    private static int Pair(string severity, string category)
    {
        var s = Array.IndexOf(AuditVocabulary.Severities, severity);
        var c = Array.IndexOf(AuditVocabulary.Categories, category);
        return s < 0 || c < 0 ? -1 : s * AuditVocabulary.Categories.Length + c;
    }

    public void Rejected(int count, string reason) => _rejected.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void Duplicates(int count) => _duplicates.Add(count);

    public void GroupRetried() => _groupRetries.Add(1);

    public void Committed(int batchSize, TimeSpan duration)
    {
        _batchSize.Record(batchSize);
        _commitDuration.Record(duration.TotalSeconds);
    }

    public void ObserveQueueDepth(Func<int> depth, Microsoft.Extensions.Hosting.ServiceTelemetry telemetry) =>
        telemetry.Meter.CreateObservableGauge("audit.ingest.queue.depth", depth, "{event}", "Events waiting for a group commit.");
}
