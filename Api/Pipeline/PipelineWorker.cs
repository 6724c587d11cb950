namespace Api.Pipeline;

/// <summary>The agent workers: WorkerCount loops that claim ready activities from PostgreSQL and run their current stage.</summary>
public sealed class PipelineWorker(PipelineQueue queue, StageRunner runner, IOptions<PipelineOptions> options, ILogger<PipelineWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.WorkersEnabled)
        {
            return Task.CompletedTask;
        }

        PipelineTrace.WorkersStarted(logger, o.WorkerCount, o.Lease, o.MaxAttempts);
        var prefix = $"{Environment.MachineName}-{Environment.ProcessId}";
        return Task.WhenAll(Enumerable.Range(1, o.WorkerCount).Select(i => RunLoopAsync($"{prefix}-w{i}", o, stoppingToken)));
    }

    private async Task RunLoopAsync(string worker, PipelineOptions o, CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await queue.ClaimAsync(worker, o.Lease, ct) is { } activity)
                {
                    await runner.RunAsync(activity, worker, ct);
                    continue;
                }

                await Task.Delay(o.PollInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                PipelineTrace.WorkerLoopFailed(logger, worker, ex);
                await Task.Delay(o.PollInterval, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
