namespace AuditService.Integrity;

/// <summary>
/// Walks every tenant's chain on a schedule (Integrity:WalkInterval, first Integrity:FirstWalkDelay after start-up), so
/// tampering nobody asked about still pages (AuditChainBroken, through <see cref="IntegrityMetrics"/>). The walk only
/// reads: instances sharing a database each walk, which costs reads and changes no verdict.
/// </summary>
public sealed partial class ChainWalkJob(ChainVerifier verifier, IntegrityMetrics metrics, IOptions<IntegrityOptions> options,
    TimeProvider clock, ILogger<ChainWalkJob> logger) : BackgroundService
{
    /// <summary>Verifies every chain, one tenant at a time, and returns the verdicts (the tests' way in).</summary>
    public async Task<List<ChainVerdict>> WalkAsync(CancellationToken ct)
    {
        var verdicts = new List<ChainVerdict>();
        foreach (var tenant in await verifier.ChainedTenantsAsync(ct))
        {
            var verdict = await verifier.VerifyAsync(tenant, ct);
            metrics.Verified(verdict);
            if (!verdict.Intact)
            {
                LogBroken(logger, tenant, verdict.FirstBadSeq, verdict.Kind);
            }

            verdicts.Add(verdict);
        }

        LogWalked(logger, verdicts.Count, verdicts.Count(v => !v.Intact));
        return verdicts;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await Task.Delay(o.FirstWalkDelay, clock, stoppingToken);
        using var timer = new PeriodicTimer(o.WalkInterval, clock);
        do
        {
            try
            {
                await WalkAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // The database is away: the next tick walks again from the start.
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit chain of tenant {TenantId} is broken at event {Seq} ({Kind}); GET /api/v1/integrity/verify?tenant={TenantId} says what is wrong")]
    private static partial void LogBroken(ILogger logger, Guid tenantId, long? seq, string? kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Walked {Chains} audit chains: {Broken} broken")]
    private static partial void LogWalked(ILogger logger, int chains, int broken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not walk the audit chains; will try at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
