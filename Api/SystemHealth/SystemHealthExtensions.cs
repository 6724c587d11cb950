namespace Api.SystemHealth;

public static class SystemHealthExtensions
{
    public static void AddSystemHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SystemHealthOptions>().BindConfiguration(SystemHealthOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RequestOutcomeCounter>();
        builder.Services.AddHostedService<RequestCountFlusher>();
    }
}
