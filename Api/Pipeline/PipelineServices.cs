using Api.Usage;

namespace Api.Pipeline;

/// <summary>What the pipeline endpoints need, injected as one parameter.</summary>
public sealed class PipelineServices(AppDb db, ActivityStore activities, PipelineStateQuery state, SpendCaps caps, PipelineMetrics metrics, IAuditLog audit)
{
    public AppDb Db { get; } = db;
    public ActivityStore Activities { get; } = activities;
    public PipelineStateQuery State { get; } = state;
    public SpendCaps Caps { get; } = caps;
    public PipelineMetrics Metrics { get; } = metrics;
    public IAuditLog Audit { get; } = audit;
}
