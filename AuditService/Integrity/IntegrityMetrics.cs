using System.Diagnostics.Metrics;

namespace AuditService.Integrity;

/// <summary>
/// Chain verifications by outcome (docs/metrics.md, "AuditService"): a walk that finds a chain broken is tampering or
/// loss someone must look at, so the AuditChainBroken alert pages on it whoever asked for the walk.
/// </summary>
public sealed class IntegrityMetrics
{
    private readonly Counter<long> _verifications;

    public IntegrityMetrics(Microsoft.Extensions.Hosting.ServiceTelemetry telemetry)
    {
        _verifications = telemetry.Meter.CreateCounter<long>("audit.chain.verifications", "{verification}",
            "Tenant chains verified, by outcome (intact or broken).");

        // Both series exist from the start at 0, so the first broken chain shows as an increase.
        _verifications.Add(0, Outcome(true));
        _verifications.Add(0, Outcome(false));
    }

    public void Verified(ChainVerdict verdict) => _verifications.Add(1, Outcome(verdict.Intact));

    private static KeyValuePair<string, object?> Outcome(bool intact) => new("outcome", intact ? "intact" : "broken");
}
