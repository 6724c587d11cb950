namespace AppHost.Observability;

/// <summary>The Aspire dashboard this AppHost runs (a resource of its own, on the launch profile's applicationUrl), when it is enabled.</summary>
public static class AspireDashboard
{
    public const string ResourceName = "aspire-dashboard";

    /// <summary>Its browser address once endpoints are allocated; null when the dashboard is disabled (as in most tests).</summary>
    public static string? Url(IServiceProvider services) =>
        services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<IResourceWithEndpoints>().FirstOrDefault(r => r.Name == ResourceName)?
            .GetEndpoints().FirstOrDefault(e => e.IsAllocated && !e.EndpointName.StartsWith("otlp", StringComparison.Ordinal))?.Url;
}
