using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Api.Pipeline;

/// <summary>The agent pipeline's instruments (docs/metrics.md, "Api: agent pipeline").</summary>
public sealed class PipelineMetrics
{
    private readonly Histogram<double> _stageDuration;
    private readonly Counter<long> _stageFailures;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _created;

    private readonly Usage.TenantLabels _tenants;

    public PipelineMetrics(ServiceTelemetry telemetry, PipelineStats stats, Usage.TenantLabels tenants)
    {
        _tenants = tenants;
        var meter = telemetry.Meter;
        _stageDuration = meter.CreateHistogram<double>("pipeline.stage.duration", "s", "Time an agent took for a stage, LLM call included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Usage.UsageMetrics.DurationBuckets });
        _stageFailures = meter.CreateCounter<long>("pipeline.stage.failures", "{failure}", "Failed stage attempts by agent role.");
        _completed = meter.CreateCounter<long>("pipeline.activities.completed", "{activity}", "Activities approved and completed.");
        _created = meter.CreateCounter<long>("tenant.activities.created", "{activity}", "Activities created by tenants.");

        // Every stage's failure series exists from start-up at 0, so a first failure shows as an increase.
        foreach (var stage in AgentStages.ByKind.Values.SelectMany(s => s).Distinct())
        {
            _stageFailures.Add(0, new TagList { { "stage", stage.Name }, { "agent_role", stage.AgentRole } });
        }

        var snapshot = () => stats.Current;
        meter.CreateObservableGauge("pipeline.activities", () => snapshot().ByStatus.Select(s =>
            new Measurement<long>(s.Value, new KeyValuePair<string, object?>("status", s.Key))), "{activity}", "Activities by status.");
        meter.CreateObservableGauge("pipeline.approval.backlog", () => snapshot().ByStatus.GetValueOrDefault(ActivityStatus.AwaitingApproval),
            "{activity}", "Activities waiting for a human decision.");
        meter.CreateObservableGauge("pipeline.queue.depth", () => snapshot().QueueDepth, "{activity}",
            "Activities waiting for an agent (queued, including those backing off before a retry).");
        meter.CreateObservableGauge("pipeline.dead_letters", () => snapshot().ByStatus.GetValueOrDefault(ActivityStatus.DeadLetter),
            "{activity}", "Activities that failed their last try and wait for an admin.");
        // No sample until there is an activity: a platform that has never had one is new, not silent (NoPlatformActivity).
        meter.CreateObservableGauge("platform.last_activity.timestamp", () => snapshot().LastActivityUnixSeconds is > 0 and var last
                ? [new Measurement<double>(last)]
                : Array.Empty<Measurement<double>>(), "s",
            "Unix time of the newest activity (no sample before the first).");
        meter.CreateObservableGauge("tenants.active", () => snapshot().ActiveTenantsByPlan.Select(p =>
            new Measurement<long>(p.Value, new KeyValuePair<string, object?>("plan", p.Key))), "{tenant}",
            "Tenants that created an activity in the last 30 days.");
    }

    public void StageFinished(string stage, string role, string outcome, double seconds)
    {
        _stageDuration.Record(seconds, new TagList { { "stage", stage }, { "agent_role", role }, { "outcome", outcome } });
        if (outcome != "succeeded")
        {
            _stageFailures.Add(1, new TagList { { "stage", stage }, { "agent_role", role } });
        }
    }

    public void Completed() => _completed.Add(1);

    public void Created(string tenant, string plan) => _created.Add(1, new TagList { { "tenant", _tenants.Of(tenant) }, { "plan", plan } });
}
