namespace Api.SystemHealth;

public static class SystemHealthExtensions
{
    public static void AddSystemHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SystemHealthOptions>(SystemHealthOptions.SectionName);
        builder.Services.AddSingleton<RequestOutcomeCounter>();
        builder.Services.AddHostedService<RequestCountFlusher>();
    }
}
