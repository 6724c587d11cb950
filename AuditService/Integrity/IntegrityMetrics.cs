using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AuditService.Integrity;

/// <summary>
/// Chain verifications by outcome, and the chains whose latest verification found them broken (docs/metrics.md,
/// "AuditService"): a broken chain is tampering or loss someone must look at, so AuditChainBroken pages while one is
/// known, whether the scheduled walk or a reader's request found it.
/// </summary>
public sealed class IntegrityMetrics
{
    private readonly Counter<long> _verifications;
    private readonly ConcurrentDictionary<Guid, bool> _broken = new();

    public IntegrityMetrics(Microsoft.Extensions.Hosting.ServiceTelemetry telemetry)
    {
        _verifications = telemetry.Meter.CreateCounter<long>("audit.chain.verifications", "{verification}",
            "Tenant chains verified, by outcome (intact or broken).");

        // Both series exist from the start at 0, so the first broken chain shows as an increase.
        _verifications.Add(0, Outcome(true));
        _verifications.Add(0, Outcome(false));
        telemetry.Meter.CreateObservableGauge("audit.chains.broken", () => _broken.Count, "{chain}",
            "Tenant chains whose latest verification on this instance found them broken.");
    }

    public void Verified(ChainVerdict verdict)
    {
        _verifications.Add(1, Outcome(verdict.Intact));
        if (verdict.Intact)
        {
            _broken.TryRemove(verdict.TenantId, out _);
        }
        else
        {
            _broken[verdict.TenantId] = true;
        }
    }

    private static KeyValuePair<string, object?> Outcome(bool intact) => new("outcome", intact ? "intact" : "broken");
}
