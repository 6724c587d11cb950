namespace AuditService.Integrity;

/// <summary>
/// Walks every tenant's chain on a schedule (Integrity:WalkInterval, first Integrity:FirstWalkDelay after start-up), so
/// tampering nobody asked about still pages (AuditChainBroken, through <see cref="IntegrityMetrics"/>). The walk only
/// reads: instances sharing a database each walk, which costs reads and changes no verdict.
/// </summary>
public sealed partial class ChainWalkJob(ChainVerifier verifier, IntegrityMetrics metrics, IOptions<IntegrityOptions> options,
    TimeProvider clock, ILogger<ChainWalkJob> logger) : BackgroundService
{
    /// <summary>How soon a walk that failed is tried again.</summary>
    private static readonly TimeSpan FailedWalkRetry = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Verifies every chain, one tenant at a time, and returns the verdicts (the tests' way in). The walk's verdicts alone
    /// set the broken-chain gauge: a reader's verification may hold exported checkpoints the walk does not, so it neither
    /// raises nor clears what the walk found (it is counted, and pages for a while, through the verification counter).
    /// </summary>
    public async Task<List<ChainVerdict>> WalkAsync(CancellationToken ct)
    {
        var verdicts = new List<ChainVerdict>();
        foreach (var tenant in await verifier.ChainedTenantsAsync(ct))
        {
            var verdict = await VerifyAsync(tenant, ct);
            metrics.Verified(verdict);
            if (!verdict.Intact)
            {
                LogBroken(logger, tenant, verdict.FirstBadSeq, verdict.Kind);
            }

            verdicts.Add(verdict);
        }

        metrics.Walked(verdicts);
        LogWalked(logger, verdicts.Count, verdicts.Count(v => !v.Intact));
        return verdicts;
    }

    /// <summary>
    /// One tenant's verdict. A database outage ends the walk (it is tried again soon); anything else the verifier could
    /// not get through is that chain's problem, named as such, and the walk goes on to the next tenant.
    /// </summary>
    private async Task<ChainVerdict> VerifyAsync(Guid tenant, CancellationToken ct)
    {
        try
        {
            return await verifier.VerifyAsync(tenant, ct);
        }
        catch (Exception ex) when (ex is not (NpgsqlException or TimeoutException or OperationCanceledException))
        {
            LogUnreadable(logger, tenant, ex);
            return new ChainVerdict(tenant, false, 0, null, $"the chain could not be verified ({ex.GetType().Name})", ChainProblems.Unreadable);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await Task.Delay(o.FirstWalkDelay, clock, stoppingToken);
        using var timer = new PeriodicTimer(o.WalkInterval, clock);
        do
        {
            // A walk cut short is tried again soon, not a whole interval later.
            while (!await TryWalkAsync(stoppingToken))
            {
                await Task.Delay(FailedWalkRetry, clock, stoppingToken);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<bool> TryWalkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WalkAsync(stoppingToken);
            return true;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // A database outage, or a row the verifier could not read: either way the service keeps running, says so and
            // walks again later (a background service that throws would stop the whole host).
            LogFailed(logger, FailedWalkRetry, ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit chain of tenant {TenantId} is broken at event {Seq} ({Kind}); GET /api/v1/integrity/verify?tenant={TenantId} says what is wrong")]
    private static partial void LogBroken(ILogger logger, Guid tenantId, long? seq, string? kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Walked {Chains} audit chains: {Broken} broken")]
    private static partial void LogWalked(ILogger logger, int chains, int broken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not walk the audit chains; will try again in {Retry}")]
    private static partial void LogFailed(ILogger logger, TimeSpan retry, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit chain of tenant {TenantId} could not be verified")]
    private static partial void LogUnreadable(ILogger logger, Guid tenantId, Exception exception);
}
