namespace AuditService.Ingestion;

public sealed class IngestServices(
    AuditWriter writer, AuditEventValidator validator, KeyQuota quota, IngestMetrics metrics,
    IOptions<IngestOptions> options, Microsoft.Extensions.Hosting.ServiceTelemetry telemetry)
{
    public AuditWriter Writer { get; } = writer;
    public AuditEventValidator Validator { get; } = validator;
    public KeyQuota Quota { get; } = quota;
    public IngestMetrics Metrics { get; } = metrics;
    public IOptions<IngestOptions> Options { get; } = options;
    public Microsoft.Extensions.Hosting.ServiceTelemetry Telemetry { get; } = telemetry;
}
