namespace Api.Pipeline;

public static class PipelineExtensions
{
    /// <summary>The agent pipeline: the PostgreSQL queue, the worker BackgroundService, its gauges and read models.</summary>
    public static IHostApplicationBuilder AddPipeline(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PipelineOptions>(PipelineOptions.SectionName);
        builder.Services.AddSingleton<PipelineQueue>();
        builder.Services.AddSingleton<ActivityStore>();
        builder.Services.AddSingleton<PipelineStateQuery>();
        builder.Services.AddSingleton<StageRunner>();
        builder.Services.AddHostedSingleton<PipelineStats>();
        builder.Services.AddSingleton<PipelineMetrics>();
        builder.Services.AddHostedService<PipelineWorker>();
        // Instruments are created when first resolved; resolve them at start so /metrics lists them from the first scrape.
        builder.Services.AddHostedService(sp => new InstrumentWarmup(sp));
        return builder;
    }

    private sealed class InstrumentWarmup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<PipelineMetrics>();
            services.GetRequiredService<Usage.UsageMetrics>();
            _ = services.GetRequiredService<IOptions<PipelineOptions>>().Value;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
