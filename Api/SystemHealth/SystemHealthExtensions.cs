namespace Api.SystemHealth;

public static class SystemHealthExtensions
{
    public static void AddSystemHealth(this IHostApplicationBuilder builder) =>
        builder.Services.AddSingleton<RequestOutcomeCounter>();
}
