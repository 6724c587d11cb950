using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A service's own ActivitySource and Meter, both named after the service so that
/// AddServiceDefaults() can subscribe to them without each service repeating the wiring.
/// </summary>
public sealed class ServiceTelemetry : IDisposable
{
    public ServiceTelemetry(string serviceName)
    {
        Name = serviceName;
        ActivitySource = new ActivitySource(serviceName);
        Meter = new Meter(serviceName);
    }

    public string Name { get; }
    public ActivitySource ActivitySource { get; }
    public Meter Meter { get; }

    /// <summary>OTEL_SERVICE_NAME when the orchestrator set it, otherwise the application's name.</summary>
    public static string NameOf(IHostApplicationBuilder builder) =>
        builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;

    public void Dispose()
    {
        ActivitySource.Dispose();
        Meter.Dispose();
    }
}
