using Api.Llm;

namespace Api.Usage;

/// <summary>
/// Reads every tenant's spend each Llm:SpendGaugeInterval, so the budget gauges (and the spend alerts on them) follow the
/// month and the database rather than the last call: a capped tenant makes no more calls, a new month starts at 0, and
/// a restarted Api would otherwise export no tenant until each calls again.
/// </summary>
public sealed class SpendGauges(AppDb appDb, SpendCaps caps, IOptions<LlmOptions> options, TimeProvider clock, ILogger<SpendGauges> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SpendGaugeInterval, clock);
        do
        {
            try
            {
                // Platform scope: the gauges cover every tenant.
                await using var db = await appDb.OpenAsync(TenantScope.Platform, stoppingToken);
                await caps.ListAsync(db, null, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LlmTrace.SpendGaugesFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
