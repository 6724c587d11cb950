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
        builder.Services.AddInstruments<PipelineMetrics>();
        builder.Services.AddHostedService<PipelineWorker>();
        return builder;
    }
}
