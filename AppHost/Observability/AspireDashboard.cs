namespace AppHost.Observability;

/// <summary>The Aspire dashboard this AppHost serves: its launch profile's applicationUrl, unless the dashboard is disabled (as in tests).</summary>
public static class AspireDashboard
{
    public static string? Url(IServiceProvider services)
    {
        if (services.GetRequiredService<DistributedApplicationOptions>().DisableDashboard)
        {
            return null;
        }

        return services.GetRequiredService<IConfiguration>()["ASPNETCORE_URLS"]?
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault();
    }
}
