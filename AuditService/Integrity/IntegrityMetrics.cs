using System.Diagnostics.Metrics;

namespace AuditService.Integrity;

/// <summary>
/// Chain verifications by outcome, the walk's and readers' alike, and the chains the latest walk of every chain found
/// broken (docs/metrics.md, "AuditService"). A broken chain is tampering or loss someone must look at: AuditChainBroken
/// pages while the walk knows one, and for a while after a reader's verification finds one.
/// </summary>
public sealed class IntegrityMetrics
{
    private readonly Counter<long> _verifications;
    private volatile int _broken;

    public IntegrityMetrics(Microsoft.Extensions.Hosting.ServiceTelemetry telemetry)
    {
        _verifications = telemetry.Meter.CreateCounter<long>("audit.chain.verifications", "{verification}",
            "Tenant chains verified, by outcome (intact or broken).");

        // Both series exist from the start at 0, so the first broken chain shows as an increase.
        _verifications.Add(0, Outcome(true));
        _verifications.Add(0, Outcome(false));
        telemetry.Meter.CreateObservableGauge("audit.chains.broken", () => _broken, "{chain}",
            "Tenant chains the latest walk of every chain found broken.");
    }

    public void Verified(ChainVerdict verdict) => _verifications.Add(1, Outcome(verdict.Intact));

    /// <summary>A walk of every chain finished: its count of broken chains replaces the last walk's.</summary>
    public void Walked(IReadOnlyCollection<ChainVerdict> verdicts) => _broken = verdicts.Count(v => !v.Intact);

    private static KeyValuePair<string, object?> Outcome(bool intact) => new("outcome", intact ? "intact" : "broken");
}
