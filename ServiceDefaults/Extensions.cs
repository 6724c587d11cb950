using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

// The shape of the Aspire ServiceDefaults template: every service calls AddServiceDefaults() once
// and MapDefaultEndpoints() once, and gets the same telemetry, health, discovery and resilience.
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string MetricsEndpointPath = "/metrics";

    /// <summary>
    /// The authorization policy that lets a caller read /health's details (check names, failures) outside Development.
    /// Each service that has operators registers it; without it only Development shows details.
    /// </summary>
    public const string HealthDetailsPolicy = "health-details";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        // Trace ids shown to people link to the trace viewer the AppHost names (Grafana or the Aspire dashboard).
        builder.Services.AddOptions<TraceViewerOptions>().BindConfiguration(TraceViewerOptions.SectionName);
        builder.Services.AddSingleton<TraceLinkBuilder>();

        builder.Services.AddProblemDetails();
        // In order: a request the framework could not bind is the caller's 4xx; anything else marks the span as
        // failed; a dependency outage is then a 503; the rest is a 500 problem without details.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        builder.Services.AddExceptionHandler<TracingExceptionHandler>();
        builder.Services.AddExceptionHandler<DependencyOutageHandler>();
        builder.Logging.AddConsoleFormatter<EscapingConsoleFormatter, Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions>();
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.FormatterName = EscapingConsoleFormatter.Name);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // "live" answers whether the process should be restarted; everything else is readiness.
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNulGuard();

        // Readiness: every registered check, the database included where the service has one.
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        // Liveness: only the checks tagged "live", so a database outage never restarts the process.
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath);
        return app;
    }
}
